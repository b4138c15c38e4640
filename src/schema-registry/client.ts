/**
 * A client of a Confluent-compatible schema registry (Confluent, Apicurio's `ccompat` API, Karapace,
 * Redpanda). Schemas by id are cached for ever (an id never names another schema); lookups of a
 * subject's latest version for `cacheTtlMs`; concurrent requests for the same thing share one round trip.
 */
import type { SecureContextOptions } from 'node:tls';

import { isPlainObject, show, typeName } from '../core/validate';
import { RegistryHttp, SchemaRegistryError, type RegistryAuth } from './http';

export { SchemaRegistryError, type RegistryAuth } from './http';

/** The three formats a Confluent-compatible registry knows. */
export type SchemaType = 'AVRO' | 'PROTOBUF' | 'JSON';

/** A schema another one refers to: by the name the referring schema uses (a .proto file name, an Avro full name). */
export interface SchemaReference {
  readonly name: string;
  readonly subject: string;
  readonly version: number;
}

/** A schema as the registry stores it. */
export interface Schema {
  readonly schema: string;
  readonly schemaType: SchemaType;
  readonly references: readonly SchemaReference[];
}

/** A schema registered under a subject. */
export interface RegisteredSchema extends Schema {
  readonly id: number;
  readonly subject: string;
  readonly version: number;
}

/** Compatibility levels a registry enforces between a subject's versions. */
export type CompatibilityLevel =
  'NONE' | 'BACKWARD' | 'BACKWARD_TRANSITIVE' | 'FORWARD' | 'FORWARD_TRANSITIVE' | 'FULL' | 'FULL_TRANSITIVE';

/** Where the registry is and how to reach it. */
export interface SchemaRegistryOptions {
  /** The registry's base URL (Apicurio: `http://host:8080/apis/ccompat/v7`), or several tried in turn. */
  url: string | string[];
  /** Basic credentials (also accepted as `https://user:password@host`), or a bearer token provider. */
  auth?: RegistryAuth;
  /** TLS options for https: URLs (`ca`, `cert`, `key`, `rejectUnauthorized`, ...). */
  ssl?: SecureContextOptions & { rejectUnauthorized?: boolean };
  /** How long a subject's latest version is reused before it is looked up again (default 300,000 ms). */
  cacheTtlMs?: number;
  /** Deadline of one request to one URL (default 30,000 ms). */
  timeoutMs?: number;
}

interface RawSchema {
  schema?: unknown;
  schemaType?: unknown;
  references?: unknown;
  id?: unknown;
  subject?: unknown;
  version?: unknown;
}

/**
 * A Confluent-compatible registry client. Share one per application: the serdes made from it share its
 * caches. `close()` drops its idle connections.
 */
export class SchemaRegistry {
  readonly #http: RegistryHttp;
  readonly #ttlMs: number;
  readonly #byId = new Map<number, Schema>();
  readonly #byGuid = new Map<string, Schema>();
  /** Registered (subject, schema) pairs: what register() answered, by subject then schema text. */
  readonly #ids = new Map<string, Map<string, number>>();
  readonly #versions = new Map<string, RegisteredSchema>();
  readonly #latest = new Map<string, { schema: RegisteredSchema; until: number }>();
  /** Requests under way, by what they ask: a second asker waits for the same answer. */
  readonly #inFlight = new Map<string, Promise<unknown>>();

  constructor(options: SchemaRegistryOptions) {
    if (!isPlainObject(options)) throw new TypeError(`options must be an object, got ${typeName(options)}`);
    const urls = typeof options.url === 'string' ? [options.url] : options.url;
    if (!Array.isArray(urls) || urls.length === 0 || urls.some((u) => typeof u !== 'string')) {
      throw new TypeError(`url must be a URL string or a non-empty array of them, got ${show(options.url)}`);
    }
    const auth = options.auth;
    if (auth !== undefined) {
      const given = auth as { username?: unknown; password?: unknown; bearerToken?: unknown };
      const basic = isPlainObject(auth) && typeof given.username === 'string' && typeof given.password === 'string';
      const bearer = isPlainObject(auth) && typeof given.bearerToken === 'function';
      if (!basic && !bearer) {
        throw new TypeError(
          'auth must be { username, password } (strings) or { bearerToken: () => string | Promise<string> }',
        );
      }
    }
    this.#ttlMs = nonNegative(options.cacheTtlMs, 'cacheTtlMs', 300_000);
    this.#http = new RegistryHttp({
      urls,
      auth,
      ssl: options.ssl,
      timeoutMs: nonNegative(options.timeoutMs, 'timeoutMs', 30_000) || 30_000,
    });
  }

  /** How long a subject's latest version is reused (the `cacheTtlMs` option). */
  get cacheTtlMs(): number {
    return this.#ttlMs;
  }

  /** The schema with this id (cached for ever). */
  getSchema(id: number): Promise<Schema> {
    const cached = this.#byId.get(id);
    if (cached) return Promise.resolve(cached);
    return this.#once(`id:${id}`, async () => {
      const schema = toSchema(await this.#http.request<RawSchema>('GET', `/schemas/ids/${id}`));
      this.#byId.set(id, schema);
      return schema;
    });
  }

  /** The schema with this GUID (the newer wire format's magic-1 payloads; cached for ever). */
  getSchemaByGuid(guid: string): Promise<Schema> {
    const cached = this.#byGuid.get(guid);
    if (cached) return Promise.resolve(cached);
    return this.#once(`guid:${guid}`, async () => {
      const schema = toSchema(await this.#http.request<RawSchema>('GET', `/schemas/guids/${encodeURIComponent(guid)}`));
      this.#byGuid.set(guid, schema);
      return schema;
    });
  }

  /** The schema's id in the subject, registering it as a new version when it is new there. */
  register(subject: string, schema: Schema, options: { normalize?: boolean } = {}): Promise<number> {
    const known = this.#ids.get(subject)?.get(schema.schema);
    if (known !== undefined) return Promise.resolve(known);
    const query = options.normalize ? '?normalize=true' : '';
    return this.#once(`register:${subject}:${schema.schema}`, async () => {
      const answer = await this.#http.request<{ id?: unknown }>(
        'POST',
        `/subjects/${encodeURIComponent(subject)}/versions${query}`,
        body(schema),
      );
      const id = integer(answer?.id, 'id');
      this.#remember(subject, schema, id);
      return id;
    });
  }

  /** The version of the subject that holds this schema (40403 / 40401 errors when none does). */
  lookup(subject: string, schema: Schema, options: { normalize?: boolean } = {}): Promise<RegisteredSchema> {
    const query = options.normalize ? '?normalize=true' : '';
    return this.#once(`lookup:${subject}:${schema.schema}`, async () => {
      const answer = await this.#http.request<RawSchema>(
        'POST',
        `/subjects/${encodeURIComponent(subject)}${query}`,
        body(schema),
      );
      const found = toRegistered(answer, subject);
      this.#remember(subject, schema, found.id);
      return found;
    });
  }

  /** The subject's latest version (reused for `cacheTtlMs`). */
  getLatest(subject: string): Promise<RegisteredSchema> {
    const cached = this.#latest.get(subject);
    if (cached && cached.until > Date.now()) return Promise.resolve(cached.schema);
    return this.#once(`latest:${subject}`, async () => {
      const schema = toRegistered(
        await this.#http.request<RawSchema>('GET', `/subjects/${encodeURIComponent(subject)}/versions/latest`),
        subject,
      );
      this.#latest.set(subject, { schema, until: Date.now() + this.#ttlMs });
      this.#byId.set(schema.id, schema);
      return schema;
    });
  }

  /** A version of the subject (versions never change, so cached for ever). */
  getVersion(subject: string, version: number): Promise<RegisteredSchema> {
    const key = `${subject}\u0000${version}`;
    const cached = this.#versions.get(key);
    if (cached) return Promise.resolve(cached);
    return this.#once(`version:${key}`, async () => {
      const schema = toRegistered(
        await this.#http.request<RawSchema>('GET', `/subjects/${encodeURIComponent(subject)}/versions/${version}`),
        subject,
      );
      this.#versions.set(key, schema);
      this.#byId.set(schema.id, schema);
      return schema;
    });
  }

  /** Every subject. */
  async getSubjects(): Promise<string[]> {
    return this.#http.request<string[]>('GET', '/subjects');
  }

  /** The subject's versions, oldest first. */
  async getVersions(subject: string): Promise<number[]> {
    return this.#http.request<number[]>('GET', `/subjects/${encodeURIComponent(subject)}/versions`);
  }

  /** Whether the registry would accept `schema` as the subject's next version (against `version`, default latest). */
  async testCompatibility(subject: string, schema: Schema, version: number | 'latest' = 'latest'): Promise<boolean> {
    const answer = await this.#http.request<{ is_compatible?: unknown }>(
      'POST',
      `/compatibility/subjects/${encodeURIComponent(subject)}/versions/${version}`,
      body(schema),
    );
    return answer?.is_compatible === true;
  }

  /** Sets the compatibility level of a subject, or the registry's default without one. */
  async setCompatibility(level: CompatibilityLevel, subject?: string): Promise<void> {
    const path = subject === undefined ? '/config' : `/config/${encodeURIComponent(subject)}`;
    await this.#http.request('PUT', path, { compatibility: level });
  }

  /** Deletes the subject's versions (soft; `permanent` after a soft delete); returns the versions deleted. */
  async deleteSubject(subject: string, permanent = false): Promise<number[]> {
    const query = permanent ? '?permanent=true' : '';
    const deleted = await this.#http.request<number[]>('DELETE', `/subjects/${encodeURIComponent(subject)}${query}`);
    this.#ids.delete(subject);
    this.#latest.delete(subject);
    return deleted;
  }

  /** Closes idle connections (open ones do not keep the process alive). */
  close(): void {
    this.#http.close();
  }

  #remember(subject: string, schema: Schema, id: number): void {
    let bySchema = this.#ids.get(subject);
    if (!bySchema) this.#ids.set(subject, (bySchema = new Map()));
    bySchema.set(schema.schema, id);
    if (!this.#byId.has(id)) this.#byId.set(id, schema);
  }

  #once<T>(key: string, fetch: () => Promise<T>): Promise<T> {
    const running = this.#inFlight.get(key);
    if (running) return running as Promise<T>;
    const promise = fetch().finally(() => this.#inFlight.delete(key));
    this.#inFlight.set(key, promise);
    return promise;
  }
}

function body(schema: Schema): Record<string, unknown> {
  const out: Record<string, unknown> = { schema: schema.schema };
  // AVRO is the default; some registries reject the field for it.
  if (schema.schemaType !== 'AVRO') out.schemaType = schema.schemaType;
  if (schema.references.length > 0) out.references = schema.references;
  return out;
}

function toSchema(raw: RawSchema | undefined): Schema {
  if (raw === undefined || typeof raw.schema !== 'string') {
    throw new SchemaRegistryError(`registry answered without a schema: ${show(raw)}`, 200, undefined);
  }
  const type = raw.schemaType ?? 'AVRO';
  if (type !== 'AVRO' && type !== 'PROTOBUF' && type !== 'JSON') {
    throw new SchemaRegistryError(`registry answered with unknown schemaType ${show(type)}`, 200, undefined);
  }
  const references = Array.isArray(raw.references) ? (raw.references as SchemaReference[]) : [];
  return { schema: raw.schema, schemaType: type, references };
}

function toRegistered(raw: RawSchema | undefined, subject: string): RegisteredSchema {
  const schema = toSchema(raw);
  return { ...schema, id: integer(raw?.id, 'id'), subject, version: integer(raw?.version, 'version') };
}

function integer(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new SchemaRegistryError(`registry answered without a numeric ${what}: ${show(value)}`, 200, undefined);
  }
  return value;
}

function nonNegative(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number')
    throw new TypeError(`${name} must be a number of milliseconds, got ${typeName(value)}`);
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${name} must be a finite number >= 0, got ${value}`);
  return value;
}
