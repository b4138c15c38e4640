/**
 * Typed options -> librdkafka properties. Validation happens here, synchronously, so a bad option throws
 * TypeError/RangeError naming it before any native object exists; librdkafka's own checks (done once in
 * native conf.cc) become KafkaError '_INVALID_ARG'.
 */
import type { NativeConfig } from '../native/addon';
import { RDKAFKA_RANGES, type RangedProperty } from './rdkafka-ranges';
import { checkSasl, checkSsl, securityConfig, type SaslOptions, type SslOptions } from './security';
import { isPlainObject, show, typeName } from './validate';

type Check = (value: unknown, name: string) => void;

export interface OptionSpec {
  /** librdkafka property this option sets, or undefined when handled in JS. */
  property?: string;
  check: Check;
  /** Value transform before it is handed to librdkafka. */
  map?: (value: never) => string | number | boolean;
}

export type OptionTable = Record<string, OptionSpec>;

export const isString: Check = (value, name) => {
  if (typeof value !== 'string') throw new TypeError(`option '${name}' must be a string, got ${typeName(value)}`);
};

export const isBoolean: Check = (value, name) => {
  if (typeof value !== 'boolean') throw new TypeError(`option '${name}' must be a boolean, got ${typeName(value)}`);
};

export const isFunction: Check = (value, name) => {
  if (typeof value !== 'function') throw new TypeError(`option '${name}' must be a function, got ${typeName(value)}`);
};

export function isInteger(min: number, max = Number.MAX_SAFE_INTEGER): Check {
  return (value, name) => {
    if (typeof value !== 'number') throw new TypeError(`option '${name}' must be a number, got ${typeName(value)}`);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new RangeError(`option '${name}' must be an integer in [${min}, ${max}], got ${show(value)}`);
    }
  };
}

/**
 * A numeric librdkafka property with librdkafka's own range (src/core/rdkafka-ranges.ts, generated from
 * its CONFIGURATION.md); `narrower` bounds it further where kafka-napi takes less than librdkafka would.
 */
export function ranged(property: RangedProperty, narrower: { min?: number; max?: number } = {}): OptionSpec {
  const [min, max] = RDKAFKA_RANGES[property];
  return { property, check: isInteger(Math.max(min, narrower.min ?? min), Math.min(max, narrower.max ?? max)) };
}

export function oneOf(values: ReadonlyArray<string | number>): Check {
  return (value, name) => {
    if (!values.includes(value as string | number)) {
      const list = values.map((v) => JSON.stringify(v)).join(', ');
      throw new (typeof value === 'string' || typeof value === 'number' ? RangeError : TypeError)(
        `option '${name}' must be one of ${list}, got ${show(value)}`,
      );
    }
  };
}

export const isLogger: Check = (value, name) => {
  if (typeof value !== 'object' || value === null) {
    throw new TypeError(`option '${name}' must be an object with error/warn/info/debug methods`);
  }
  for (const level of ['error', 'warn', 'info', 'debug']) {
    const fn = (value as Record<string, unknown>)[level];
    if (fn !== undefined && typeof fn !== 'function') {
      throw new TypeError(`option '${name}.${level}' must be a function`);
    }
  }
};

const isServers: Check = (value, name) => {
  const ok =
    (typeof value === 'string' && value.length > 0) ||
    (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string' && v.length > 0));
  if (!ok) throw new TypeError(`option '${name}' must be a non-empty string or array of 'host:port' strings`);
};

const isRdkafka: Check = (value, name) => {
  if (!isPlainObject(value)) {
    throw new TypeError(`option '${name}' must be a plain object of librdkafka properties, got ${typeName(value)}`);
  }
  for (const [key, v] of Object.entries(value)) {
    if (!['string', 'number', 'boolean'].includes(typeof v)) {
      throw new TypeError(`option '${name}.${key}' must be a string, number or boolean, got ${typeName(v)}`);
    }
  }
};

/** Options every client accepts. */
export const COMMON_OPTIONS: OptionTable = {
  bootstrapServers: {
    property: 'bootstrap.servers',
    check: isServers,
    map: (v: string | string[]) => (Array.isArray(v) ? v.join(',') : v),
  },
  clientId: { property: 'client.id', check: isString },
  rdkafka: { check: isRdkafka },
  logger: { check: isLogger },
  onStats: { check: isFunction },
  statsIntervalMs: ranged('statistics.interval.ms'),
  ssl: { check: checkSsl },
  sasl: { check: checkSasl },
};

/** How one client's typed options become librdkafka properties. */
export interface ClientConfigSpec {
  kind: string;
  table: OptionTable;
  /** librdkafka defaults this client changes; any option or `rdkafka` property overrides them. */
  defaults?: NativeConfig;
  /**
   * Properties computed from several typed options (e.g. idempotence off for weak acks). They are set
   * after the typed options and before `rdkafka`, so a raw property still wins.
   */
  derive?: (options: Record<string, unknown>, config: NativeConfig) => void;
  /**
   * Properties the client's own data path depends on (e.g. the consumer stores offsets itself). They are
   * set last; `rdkafka` naming one with another value is a RangeError rather than silently overruled.
   */
  forced?: NativeConfig;
}

/**
 * Validates `options` against the spec and returns the librdkafka properties, in this order: defaults,
 * typed options, derived properties, the `rdkafka` escape hatch (which wins), forced properties.
 */
export function toRdkafka(spec: ClientConfigSpec, options: unknown): NativeConfig {
  const { kind, table } = spec;
  if (!isPlainObject(options)) throw new TypeError(`${kind} options must be a plain object, got ${typeName(options)}`);
  const opts = options as Record<string, unknown>;
  if (opts.bootstrapServers === undefined) {
    throw new TypeError(`option 'bootstrapServers' is required for ${kind}`);
  }
  const config: NativeConfig = { 'client.id': 'kafka-napi', ...spec.defaults };
  for (const [name, value] of Object.entries(opts)) {
    // Own properties only: an option named 'constructor' or '__proto__' must not find Object.prototype's.
    const option = Object.hasOwn(table, name) ? table[name] : undefined;
    if (!option) {
      throw new TypeError(`unknown option '${name}' for ${kind} (raw librdkafka properties go in 'rdkafka')`);
    }
    if (value === undefined) continue;
    option.check(value, name);
    if (option.property) {
      const mapped = option.map ? option.map(value as never) : (value as string);
      checkLength(option.property, mapped, `option '${name}'`);
      config[option.property] = mapped;
    }
  }
  if (opts.onStats !== undefined && opts.statsIntervalMs === undefined) config['statistics.interval.ms'] = 5000;
  Object.assign(
    config,
    securityConfig(opts.ssl as boolean | SslOptions | undefined, opts.sasl as SaslOptions | undefined),
  );
  warnInsecure(opts.ssl);
  spec.derive?.(opts, config);
  const raw = (opts.rdkafka as NativeConfig | undefined) ?? {};
  for (const [property, value] of Object.entries(raw)) {
    checkLength(property, value, `option 'rdkafka.${property}'`);
    const forced = spec.forced && Object.hasOwn(spec.forced, property) ? spec.forced[property] : undefined;
    if (forced !== undefined && String(forced) !== String(value)) {
      throw new RangeError(
        `option 'rdkafka.${property}' cannot be changed: ${kind} relies on ${property}=${String(forced)}`,
      );
    }
  }
  return { ...config, ...raw, ...spec.forced };
}

/**
 * Longest string value handed to librdkafka, which copies some of them onto the stack (bootstrap.servers,
 * sasl.password, pattern lists...): an 8 MiB bootstrapServers overflowed it and killed the process. PEM
 * properties are never copied that way and may carry whole CA bundles. Same limits as native/core/args.h.
 */
export const MAX_CONFIG_VALUE_LENGTH = 64 * 1024;
export const MAX_PEM_LENGTH = 4 * 1024 * 1024;

function checkLength(property: string, value: unknown, what: string): void {
  if (typeof value !== 'string') return;
  const max = property.endsWith('.pem') ? MAX_PEM_LENGTH : MAX_CONFIG_VALUE_LENGTH;
  // UTF-8 may take up to 3 bytes per UTF-16 unit: measure only when it could matter.
  if (value.length * 3 > max && Buffer.byteLength(value, 'utf8') > max) {
    throw new RangeError(`${what} must be at most ${max} bytes, got ${Buffer.byteLength(value, 'utf8')}`);
  }
}

let insecureWarned = false;

// Like Node's NODE_TLS_REJECT_UNAUTHORIZED=0 warning: once per process, through process warnings.
function warnInsecure(ssl: unknown): void {
  if (insecureWarned || !isPlainObject(ssl) || (ssl as SslOptions).rejectUnauthorized !== false) return;
  insecureWarned = true;
  process.emitWarning(
    "ssl.rejectUnauthorized is false: broker certificates and host names are not verified, so the connection's authenticity is not either",
    { code: 'KAFKA_NAPI_TLS_UNVERIFIED' },
  );
}
