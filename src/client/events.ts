/**
 * Dispatch of client-level events (librdkafka logs, statistics, errors not tied to one call) to the
 * user's logger / onStats. Shared by producer, consumer and admin.
 */
import { authFailure } from './auth-failure';
import type { KafkaError } from '../core/errors';
import type { NativeEvent } from '../native/addon';
import type { RdKafkaStats } from '../core/stats';
import type { Logger } from '../core/types';

// Without a logger the library stays quiet except for warnings and errors, like librdkafka's default.
const defaultLogger: Logger = {
  error: (message) => console.error(`kafka-napi: ${message}`),
  warn: (message) => console.warn(`kafka-napi: ${message}`),
};

/**
 * librdkafka warnings about conditions that heal themselves within seconds and need nothing from the
 * user: a fresh broker loading its coordinators (every new cluster prints these at start). Debug level.
 */
const TRANSIENT_WARNING = /Coordinator load in progress/;

/** What the client logs through: a level, the message, structured fields. */
export type LogWriter = (level: keyof Logger, message: string, fields?: Record<string, unknown>) => void;

/**
 * pino and bunyan take the structured fields first (`info(fields, message)`); winston, console-style and
 * most other loggers take them after the message. Told apart by markers only those two have, so
 * `logger: pino()` works as it is.
 */
function fieldsFirst(logger: object): boolean {
  const l = logger as Record<string, unknown>;
  const pino = typeof l.child === 'function' && typeof l.bindings === 'function' && typeof l.levels === 'object';
  const bunyan = typeof l.child === 'function' && Array.isArray(l.streams) && typeof l.fields === 'object';
  return pino || bunyan;
}

/**
 * The user's logger (or warnings and errors on stderr without one) as a LogWriter; every line carries
 * `client`, librdkafka's instance name for this client (e.g. 'my-app#consumer-2').
 */
export function logWriter(logger: Logger | undefined, client: string): LogWriter {
  if (!logger) return (level, message) => defaultLogger[level]?.(message);
  const first = fieldsFirst(logger);
  return (level, message, fields) => {
    const all = { ...fields, client };
    // Called as a method: pino, winston and bunyan read their own state through `this`.
    if (first)
      (logger[level] as ((f: Record<string, unknown>, m: string) => void) | undefined)?.call(logger, all, message);
    else logger[level]?.(message, all);
  };
}

export interface EventSink {
  log: LogWriter;
  onStats?: (stats: RdKafkaStats) => void;
  /** Fatal errors: the client cannot continue (e.g. idempotent producer fenced). */
  onFatal?: (error: Error) => void;
  /** librdkafka asks for an OAUTHBEARER token (src/client/oauthbearer.ts). */
  onTokenRefresh?: () => void;
  /** An authentication or TLS failure (src/client/auth-failure.ts): fail what waits on the cluster. */
  onAuthFailure?: (error: KafkaError) => void;
}

export function dispatchEvents(events: NativeEvent[], sink: EventSink): void {
  const log = sink.log;
  for (const event of events) {
    switch (event.type) {
      case 'log': {
        // syslog levels: 0-3 error, 4 warning, 5-6 info, 7 debug
        const fields = { facility: event.facility, syslogLevel: event.level };
        if (event.level <= 3) log('error', event.message, fields);
        else if (event.level === 4 && !TRANSIENT_WARNING.test(event.message)) log('warn', event.message, fields);
        else if (event.level === 4) log('debug', event.message, fields);
        else if (event.level <= 6) log('info', event.message, fields);
        else log('debug', event.message, fields);
        break;
      }
      case 'stats':
        if (sink.onStats) {
          try {
            sink.onStats(JSON.parse(event.json) as RdKafkaStats);
          } catch (err) {
            log('error', `onStats threw: ${String(err)}`);
          }
        }
        break;
      case 'commit':
        break; // handled by the consumer before dispatch
      case 'oauthbearer-refresh':
        sink.onTokenRefresh?.();
        break;
      case 'error':
        // Non-fatal client errors (a broker down, a retried request) are also in librdkafka's own log
        // lines at error/warning level; reporting them again at that level would say everything twice.
        if (event.error.fatal && sink.onFatal) sink.onFatal(event.error);
        else if (event.error.fatal) log('error', event.error.message, { code: event.error.code });
        else log('info', event.error.message, { code: event.error.code });
        if (!event.error.fatal && sink.onAuthFailure) {
          const failure = authFailure(event.error);
          if (failure) sink.onAuthFailure(failure);
        }
        break;
    }
  }
}
