/**
 * The `ssl` and `sasl` options every client takes, shaped like Node's `tls` options and kafkajs's
 * `ssl`/`sasl`, and their mapping to librdkafka properties. PEM material is passed in memory
 * (`ssl.*.pem`), never as paths. Secrets are validated here but never echoed in an error message.
 */
import type { NativeConfig } from '../native/addon';
import { isPlainObject, typeName } from './validate';

/** PEM text, as a string or a Buffer. */
export type PemInput = string | Buffer;

/** TLS options: certificates and keys as PEM (no files needed), and hostname verification. */
export interface SslOptions {
  /**
   * Trusted CA certificates (PEM). Default: the system trust store (the standard CA paths of Debian,
   * Ubuntu, RHEL, Alpine...; `SSL_CERT_FILE` or `SSL_CERT_DIR` when set).
   */
  ca?: PemInput | PemInput[];
  /** Client certificate (PEM) for mutual TLS. */
  cert?: PemInput;
  /** Client private key (PEM) for mutual TLS. */
  key?: PemInput;
  /** Passphrase of an encrypted `key`. */
  passphrase?: string;
  /** Default true. false disables certificate and hostname verification (a warning is logged once). */
  rejectUnauthorized?: boolean;
  /** Name to verify the broker certificates against instead of each broker's host. */
  servername?: string;
}

/** What an OAUTHBEARER token provider returns. */
export interface OauthBearerToken {
  /** The token (e.g. a JWT), sent to the broker as is. */
  value: string;
  /**
   * How long the token stays valid, from now. Default 1 hour. A new one is asked for at 80% of it, to
   * within a second (librdkafka's refresh timer), so give tokens at least 10 s.
   */
  lifetimeMs?: number;
  /** The principal name the token stands for. Default: `kafka-napi`. */
  principal?: string;
  /** SASL extensions (KIP-342), e.g. `{ logicalCluster: 'lkc-1' }` for some managed services. */
  extensions?: Record<string, string>;
}

/** SASL authentication: a username and password (PLAIN, SCRAM), or an OAUTHBEARER token provider. */
export type SaslOptions =
  | { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string }
  | {
      mechanism: 'oauthbearer';
      /** Called for a token at connect and before the current one expires (at 80% of its lifetime). */
      oauthBearerProvider: () => Promise<OauthBearerToken>;
    };

const MECHANISMS: Record<string, string> = {
  plain: 'PLAIN',
  'scram-sha-256': 'SCRAM-SHA-256',
  'scram-sha-512': 'SCRAM-SHA-512',
  oauthbearer: 'OAUTHBEARER',
};

const SSL_KEYS = new Set(['ca', 'cert', 'key', 'passphrase', 'rejectUnauthorized', 'servername']);

function isPem(value: unknown): value is PemInput {
  return typeof value === 'string' || Buffer.isBuffer(value);
}

function pemText(value: PemInput): string {
  return Buffer.isBuffer(value) ? value.toString('utf8') : value;
}

// Secrets are described by their type only: a wrong-typed password must not end up in an error message.
function typeOnly(value: unknown): string {
  return typeName(value);
}

export function checkSsl(value: unknown, name: string): void {
  if (typeof value === 'boolean') return;
  if (!isPlainObject(value))
    throw new TypeError(`option '${name}' must be a boolean or an object, got ${typeName(value)}`);
  const ssl = value as Record<string, unknown>;
  for (const key of Object.keys(ssl)) {
    if (!SSL_KEYS.has(key)) throw new TypeError(`unknown option '${name}.${key}'`);
  }
  if (ssl.ca !== undefined) {
    const list = Array.isArray(ssl.ca) ? ssl.ca : [ssl.ca];
    if (list.length === 0 || !list.every(isPem)) {
      throw new TypeError(`option '${name}.ca' must be a PEM string or Buffer, or an array of them`);
    }
  }
  for (const key of ['cert', 'key'] as const) {
    if (ssl[key] !== undefined && !isPem(ssl[key])) {
      throw new TypeError(`option '${name}.${key}' must be a PEM string or Buffer, got ${typeOnly(ssl[key])}`);
    }
  }
  if ((ssl.cert === undefined) !== (ssl.key === undefined)) {
    throw new TypeError(`options '${name}.cert' and '${name}.key' go together (mutual TLS)`);
  }
  if (ssl.passphrase !== undefined && typeof ssl.passphrase !== 'string') {
    throw new TypeError(`option '${name}.passphrase' must be a string, got ${typeOnly(ssl.passphrase)}`);
  }
  if (ssl.rejectUnauthorized !== undefined && typeof ssl.rejectUnauthorized !== 'boolean') {
    throw new TypeError(
      `option '${name}.rejectUnauthorized' must be a boolean, got ${typeName(ssl.rejectUnauthorized)}`,
    );
  }
  if (ssl.servername !== undefined && (typeof ssl.servername !== 'string' || ssl.servername.length === 0)) {
    throw new TypeError(`option '${name}.servername' must be a non-empty string, got ${typeName(ssl.servername)}`);
  }
}

export function checkSasl(value: unknown, name: string): void {
  if (!isPlainObject(value)) throw new TypeError(`option '${name}' must be an object, got ${typeName(value)}`);
  const sasl = value as Record<string, unknown>;
  const mechanism = sasl.mechanism;
  if (typeof mechanism !== 'string' || !Object.hasOwn(MECHANISMS, mechanism)) {
    const list = Object.keys(MECHANISMS)
      .map((m) => `'${m}'`)
      .join(', ');
    throw new (typeof mechanism === 'string' ? RangeError : TypeError)(
      `option '${name}.mechanism' must be one of ${list}, got ${typeof mechanism === 'string' ? `'${mechanism}'` : typeName(mechanism)}`,
    );
  }
  const allowed =
    mechanism === 'oauthbearer' ? ['mechanism', 'oauthBearerProvider'] : ['mechanism', 'username', 'password'];
  for (const key of Object.keys(sasl)) {
    if (!allowed.includes(key)) throw new TypeError(`unknown option '${name}.${key}' for mechanism '${mechanism}'`);
  }
  if (mechanism === 'oauthbearer') {
    if (typeof sasl.oauthBearerProvider !== 'function') {
      throw new TypeError(
        `option '${name}.oauthBearerProvider' must be a function returning a token promise, got ${typeName(sasl.oauthBearerProvider)}`,
      );
    }
    return;
  }
  if (typeof sasl.username !== 'string' || sasl.username.length === 0) {
    throw new TypeError(`option '${name}.username' must be a non-empty string, got ${typeName(sasl.username)}`);
  }
  if (typeof sasl.password !== 'string') {
    throw new TypeError(`option '${name}.password' must be a string, got ${typeOnly(sasl.password)}`);
  }
}

/** librdkafka properties for validated `ssl`/`sasl` options (both may be undefined: nothing to set). */
export function securityConfig(ssl: boolean | SslOptions | undefined, sasl: SaslOptions | undefined): NativeConfig {
  const config: NativeConfig = {};
  const tls = ssl !== undefined && ssl !== false;
  if (!tls && !sasl) return config;
  config['security.protocol'] = tls ? (sasl ? 'sasl_ssl' : 'ssl') : 'sasl_plaintext';
  if (tls) {
    // Hostname verification is librdkafka's default too; set it so a user's rdkafka override is explicit.
    config['ssl.endpoint.identification.algorithm'] = 'https';
    if (typeof ssl !== 'object' || ssl.ca === undefined) {
      // The system trust store. The addon's OpenSSL is static, so librdkafka probes the distributions'
      // standard CA paths; OpenSSL's own environment variables still point elsewhere when set, as they
      // would with a system OpenSSL.
      const location = process.env.SSL_CERT_FILE || process.env.SSL_CERT_DIR;
      if (location) config['ssl.ca.location'] = location;
    }
    if (typeof ssl === 'object') {
      if (ssl.ca !== undefined)
        config['ssl.ca.pem'] = (Array.isArray(ssl.ca) ? ssl.ca : [ssl.ca]).map(pemText).join('\n');
      if (ssl.cert !== undefined) config['ssl.certificate.pem'] = pemText(ssl.cert);
      if (ssl.key !== undefined) config['ssl.key.pem'] = pemText(ssl.key);
      if (ssl.passphrase !== undefined) config['ssl.key.password'] = ssl.passphrase;
      if (ssl.rejectUnauthorized === false) {
        config['enable.ssl.certificate.verification'] = false;
        config['ssl.endpoint.identification.algorithm'] = 'none';
      } else if (ssl.servername !== undefined) {
        // OpenSSL still verifies the chain; the name check moves to the addon's verify callback
        // (native/core/servername.cc), which compares the broker certificate with this name instead.
        config['ssl.endpoint.identification.algorithm'] = 'none';
        config['kafka-napi.ssl.servername'] = ssl.servername;
      }
    }
  }
  if (sasl) {
    config['sasl.mechanisms'] = MECHANISMS[sasl.mechanism];
    if (sasl.mechanism !== 'oauthbearer') {
      config['sasl.username'] = sasl.username;
      config['sasl.password'] = sasl.password;
    }
  }
  return config;
}

/** librdkafka properties whose values are secrets: never logged, never echoed. */
export const SECRET_PROPERTIES = new Set([
  'sasl.password',
  'ssl.key.pem',
  'ssl.key.password',
  'ssl.keystore.password',
  'ssl.truststore.password',
  'sasl.oauthbearer.client.secret',
  'sasl.oauthbearer.config',
  'ssl_key',
]);
