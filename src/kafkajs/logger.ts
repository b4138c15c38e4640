/**
 * kafkajs's logging: `logLevel`, a `logCreator` that receives `{ namespace, level, label, log }` entries,
 * namespaced loggers and `KAFKAJS_LOG_LEVEL`. librdkafka's log lines and client errors reach the same
 * logger through kafka-napi's Logger interface (toNapiLogger).
 */
import type { Logger as NapiLogger } from '../core/types';

/**
 * kafkajs's levels: a logger passes entries at or below its level. A plain object, as kafkajs's is (an
 * enum would add reverse-mapped keys), with a type of the same name.
 */
export const logLevel = { NOTHING: 0, ERROR: 1, WARN: 2, INFO: 4, DEBUG: 5 } as const;
export type logLevel = (typeof logLevel)[keyof typeof logLevel];

export interface LogEntry {
  namespace: string;
  level: logLevel;
  label: string;
  log: LoggerEntryContent;
}

export interface LoggerEntryContent {
  readonly timestamp: string;
  readonly message: string;
  [key: string]: unknown;
}

export type logCreator = (logLevel: logLevel) => (entry: LogEntry) => void;

export type Logger = {
  info: (message: string, extra?: object) => void;
  error: (message: string, extra?: object) => void;
  warn: (message: string, extra?: object) => void;
  debug: (message: string, extra?: object) => void;
  namespace: (namespace: string, logLevel?: logLevel) => Logger;
  setLogLevel: (logLevel: logLevel) => void;
};

const LABELS: Array<[keyof Pick<Logger, 'error' | 'warn' | 'info' | 'debug'>, logLevel, string]> = [
  ['error', logLevel.ERROR, 'ERROR'],
  ['warn', logLevel.WARN, 'WARN'],
  ['info', logLevel.INFO, 'INFO'],
  ['debug', logLevel.DEBUG, 'DEBUG'],
];

/** KAFKAJS_LOG_LEVEL (a level's name) overrides the configured level, as in kafkajs. */
function effectiveLevel(level: logLevel | null | undefined): logLevel | null {
  const env = (process.env.KAFKAJS_LOG_LEVEL ?? '').toUpperCase();
  if (Object.hasOwn(logLevel, env)) return logLevel[env as keyof typeof logLevel];
  return level ?? null;
}

/** The default: one JSON line per entry on the console, the namespace in brackets before the message. */
export const defaultLogCreator: logCreator = () => (entry) => {
  const message = entry.namespace ? `[${entry.namespace}] ${entry.log.message}` : entry.log.message;
  const line = JSON.stringify({ level: entry.label, ...entry.log, message });
  if (entry.level === logLevel.ERROR) console.error(line);
  else if (entry.level === logLevel.WARN) console.warn(line);
  else if (entry.level === logLevel.INFO) console.info(line);
  else console.log(line);
};

export function createLogger(level: logLevel = logLevel.INFO, creator: logCreator = defaultLogCreator): Logger {
  let rootLevel = effectiveLevel(level) ?? logLevel.INFO;
  const write = creator(rootLevel);
  const make = (namespace: string, own: logLevel | null): Logger => {
    const current = (): logLevel => own ?? rootLevel;
    const logger = {
      namespace: (name: string, nsLevel?: logLevel) => make(name, effectiveLevel(nsLevel)),
      setLogLevel: (next: logLevel) => {
        rootLevel = next;
      },
    } as Logger;
    for (const [method, lvl, label] of LABELS) {
      logger[method] = (message: string, extra: object = {}) => {
        if (lvl > current()) return;
        write({
          namespace,
          level: lvl,
          label,
          log: { timestamp: new Date().toISOString(), logger: 'kafkajs', message, ...extra },
        });
      };
    }
    return logger;
  };
  return make('', null);
}

/** kafka-napi's Logger (librdkafka's lines, client errors) writing into a kafkajs logger. */
export function toNapiLogger(logger: Logger): NapiLogger {
  return {
    error: (message, meta) => logger.error(message, meta ?? {}),
    warn: (message, meta) => logger.warn(message, meta ?? {}),
    info: (message, meta) => logger.info(message, meta ?? {}),
    debug: (message, meta) => logger.debug(message, meta ?? {}),
  };
}
