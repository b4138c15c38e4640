/**
 * Dispatch of client-level events (librdkafka logs, statistics, errors not tied to one call) to the
 * user's logger / onStats. Shared by producer, consumer and admin.
 */
import { authFailure } from './auth-failure';
import type { KafkaError } from './errors';
import type { NativeEvent } from './native';
import type { RdKafkaStats } from './stats';
import type { Logger } from './types';

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

export interface EventSink {
  logger?: Logger;
  onStats?: (stats: RdKafkaStats) => void;
  /** Fatal errors: the client cannot continue (e.g. idempotent producer fenced). */
  onFatal?: (error: Error) => void;
  /** librdkafka asks for an OAUTHBEARER token (src/oauthbearer.ts). */
  onTokenRefresh?: () => void;
  /** An authentication or TLS failure (src/auth-failure.ts): fail what waits on the cluster. */
  onAuthFailure?: (error: KafkaError) => void;
}

/** A line through the user's logger, or the default one (warnings and errors on stderr). */
export function logTo(logger: Logger | undefined, level: keyof Logger, message: string): void {
  (logger ?? defaultLogger)[level]?.(message);
}

export function dispatchEvents(events: NativeEvent[], sink: EventSink): void {
  const logger = sink.logger ?? defaultLogger;
  for (const event of events) {
    switch (event.type) {
      case 'log': {
        // syslog levels: 0-3 error, 4 warning, 5-6 info, 7 debug
        const meta = { facility: event.facility, level: event.level };
        if (event.level <= 3) logger.error?.(event.message, meta);
        else if (event.level === 4 && !TRANSIENT_WARNING.test(event.message)) logger.warn?.(event.message, meta);
        else if (event.level === 4) logger.debug?.(event.message, meta);
        else if (event.level <= 6) logger.info?.(event.message, meta);
        else logger.debug?.(event.message, meta);
        break;
      }
      case 'stats':
        if (sink.onStats) {
          try {
            sink.onStats(JSON.parse(event.json) as RdKafkaStats);
          } catch (err) {
            logger.error?.(`onStats threw: ${String(err)}`);
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
        else if (event.error.fatal) logger.error?.(event.error.message, { code: event.error.code });
        else logger.info?.(event.error.message, { code: event.error.code });
        if (!event.error.fatal && sink.onAuthFailure) {
          const failure = authFailure(event.error);
          if (failure) sink.onAuthFailure(failure);
        }
        break;
    }
  }
}
