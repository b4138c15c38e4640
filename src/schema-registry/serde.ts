/**
 * A serde: the serializer and deserializer of one format against one registry, for keys or for values.
 *
 * Only a cache miss waits. The first record for a topic resolves its subject's schema id (registering or
 * looking up the schema, or fetching the latest version) and the first record carrying an unknown id
 * fetches that schema; until then the serializer and deserializer answer with a Promise, which the
 * producer and consumer wait for in order (src/core/serde.ts). After that both answer synchronously.
 */
import { causeDetail, kafkaError, type ErrorCode, type KafkaError } from '../core/errors';
import type { Deserializer, RecordHeaderList, Serializer } from '../core/serde';
import { isPlainObject, show, typeName } from '../core/validate';
import type { Schema, SchemaReference, SchemaRegistry } from './client';
import type { Decoder, Encoder, Format, ReferencedTexts } from './format';
import { subjectName, type SubjectNameStrategy } from './subjects';
import { frame, idHeaderName, readFraming } from './wire';

/** Options every format's serde takes. */
export interface SerdeOptions {
  /** A key serde: subjects end in `-key`, the id header is `__key_schema_id`, errors are `_KEY_*`. */
  isKey?: boolean;
  /** How a topic's subject is named (default 'topic': `<topic>-value`, `<topic>-key`). */
  subject?: SubjectNameStrategy;
  /** Registers the serde's schema when its subject lacks it (default true, as Confluent's serializers). */
  autoRegister?: boolean;
  /** Writes with the subject's latest version instead of the serde's own schema (re-read every `cacheTtlMs`). */
  useLatest?: boolean;
  /** Writes with this registered schema id. */
  schemaId?: number;
  /** Asks the registry to normalize the schema when registering or looking it up. */
  normalize?: boolean;
}

/** The serializer and deserializer for producer and consumer options, and their awaitable forms. */
export interface Serde<T> {
  /** For `keySerializer` / `valueSerializer`: a Promise only while the topic's schema is being resolved. */
  readonly serializer: Serializer<T>;
  /** For `keyDeserializer` / `valueDeserializer`: a Promise only while a new schema id is being fetched. */
  readonly deserializer: Deserializer<T | null>;
  /** Serializes for `topic` (anywhere: a kafkajs `send`, a test). */
  serialize(topic: string, value: T): Promise<Buffer>;
  /**
   * Deserializes a record's bytes from `topic`, with its headers when the id may travel there: a list of
   * [name, value] pairs, or an object of them as kafkajs's `message.headers`.
   */
  deserialize(topic: string, data: Buffer | null, headers?: RecordHeaderList | HeaderObject): Promise<T | null>;
}

interface Writer<T> {
  readonly id: number;
  readonly encoder: Encoder<T>;
  /** When to look the subject's latest version up again (Infinity: never). */
  readonly until: number;
}

export class RegistrySerde<T> implements Serde<T> {
  readonly #writers = new Map<string, Writer<T>>();
  readonly #resolving = new Map<string, Promise<Writer<T>>>();
  readonly #readers = new Map<number | string, Decoder<T>>();
  readonly #fetching = new Map<number | string, Promise<Decoder<T>>>();
  readonly #isKey: boolean;
  readonly #headerName: string;
  readonly #serializeCode: ErrorCode;
  readonly #deserializeCode: ErrorCode;
  readonly #strategy: SubjectNameStrategy;
  readonly #ttlMs: number;

  readonly serializer: Serializer<T>;
  readonly deserializer: Deserializer<T | null>;

  constructor(
    private readonly registry: SchemaRegistry,
    private readonly format: Format<T>,
    private readonly options: SerdeOptions,
    ttlMs: number,
  ) {
    this.#isKey = options.isKey === true;
    this.#headerName = idHeaderName(this.#isKey);
    this.#serializeCode = this.#isKey ? '_KEY_SERIALIZATION' : '_VALUE_SERIALIZATION';
    this.#deserializeCode = this.#isKey ? '_KEY_DESERIALIZATION' : '_VALUE_DESERIALIZATION';
    this.#strategy = options.subject ?? 'topic';
    this.#ttlMs = ttlMs;
    this.serializer = (value, topic) => this.#serialize(topic, value);
    this.deserializer = (data, topic, headers) => this.#deserialize(topic, data, headers);
  }

  async serialize(topic: string, value: T): Promise<Buffer> {
    return this.#serialize(topic, value);
  }

  async deserialize(topic: string, data: Buffer | null, headers?: RecordHeaderList | HeaderObject): Promise<T | null> {
    return this.#deserialize(topic, data, headerList(headers));
  }

  #serialize(topic: string, value: T): Buffer | Promise<Buffer> {
    const writer = this.#writers.get(topic);
    if (writer !== undefined) {
      if (writer.until !== Infinity && writer.until < Date.now()) void this.#writer(topic).catch(() => undefined);
      return this.#encode(writer, topic, value);
    }
    return this.#writer(topic).then((w) => this.#encode(w, topic, value));
  }

  #encode(writer: Writer<T>, topic: string, value: T): Buffer {
    let data: Uint8Array;
    try {
      data = writer.encoder.encode(value);
    } catch (err) {
      throw this.#failure(
        this.#serializeCode,
        `${show(value).slice(0, 60)} does not fit schema id ${writer.id} (topic '${topic}')`,
        err,
      );
    }
    return frame(writer.id, writer.encoder.indexes, data);
  }

  /** The topic's writer: resolved once (per `cacheTtlMs` with useLatest), concurrent callers sharing it. */
  #writer(topic: string): Promise<Writer<T>> {
    const running = this.#resolving.get(topic);
    if (running) return running;
    const resolving = this.#resolveWriter(topic).then(
      (writer) => {
        this.#writers.set(topic, writer);
        this.#resolving.delete(topic);
        return writer;
      },
      (err: unknown) => {
        this.#resolving.delete(topic);
        throw err;
      },
    );
    this.#resolving.set(topic, resolving);
    return resolving;
  }

  async #resolveWriter(topic: string): Promise<Writer<T>> {
    const { options, format, registry } = this;
    const local = format.local;
    let subject: string | undefined;
    try {
      if (options.schemaId !== undefined) {
        const schema = await registry.getSchema(options.schemaId);
        return this.#registered(options.schemaId, schema, Infinity);
      }
      subject = subjectName(this.#strategy, topic, this.#isKey, local?.recordName);
      if (options.useLatest) {
        const latest = await registry.getLatest(subject);
        return this.#registered(latest.id, latest, Date.now() + this.#ttlMs);
      }
      if (local === undefined) throw new TypeError('the serde has no schema: give `schema`, `schemaId` or `useLatest`');
      const references = await this.#localReferences();
      const schema: Schema = { schema: local.text, schemaType: format.type, references };
      const register = options.autoRegister !== false;
      const id = register
        ? await registry.register(subject, schema, { normalize: options.normalize })
        : (await registry.lookup(subject, schema, { normalize: options.normalize })).id;
      const texts = new Map(local.imports.map((i) => [i.name, i.text] as const));
      return { id, encoder: format.encoder(local.text, texts), until: Infinity };
    } catch (err) {
      const what = subject !== undefined ? `subject '${subject}'` : `schema id ${options.schemaId}`;
      throw this.#failure(this.#serializeCode, `cannot resolve the schema of ${what} for topic '${topic}'`, err);
    }
  }

  async #registered(id: number, schema: Schema, until: number): Promise<Writer<T>> {
    const texts = await this.#referencedTexts(schema.references);
    return { id, encoder: this.format.encoder(schema.schema, texts), until };
  }

  /**
   * The local schema's imports as registry references: each registered (or looked up) under a subject
   * named after it, as Confluent's serializers do by default.
   */
  async #localReferences(): Promise<SchemaReference[]> {
    const local = this.format.local!;
    const registered = new Map<string, SchemaReference>();
    for (const imported of local.imports) {
      const schema: Schema = {
        schema: imported.text,
        schemaType: this.format.type,
        references: imported.references.map((name) => registered.get(name)!),
      };
      if (this.options.autoRegister !== false) await this.registry.register(imported.name, schema);
      const found = await this.registry.lookup(imported.name, schema);
      registered.set(imported.name, { name: imported.name, subject: imported.name, version: found.version });
    }
    return local.references.map((name) => {
      const reference = registered.get(name);
      if (reference === undefined) throw new TypeError(`the schema imports '${name}', which is not among its imports`);
      return reference;
    });
  }

  /** The texts of every schema `references` names, transitively, fetched by subject and version. */
  async #referencedTexts(references: readonly SchemaReference[]): Promise<ReferencedTexts> {
    const texts = new Map<string, string>();
    const visit = async (refs: readonly SchemaReference[]): Promise<void> => {
      for (const ref of refs) {
        if (texts.has(ref.name)) continue;
        const schema = await this.registry.getVersion(ref.subject, ref.version);
        await visit(schema.references);
        texts.set(ref.name, schema.schema);
      }
    };
    await visit(references);
    return texts;
  }

  #deserialize(
    topic: string,
    data: Buffer | null,
    headers: RecordHeaderList | undefined,
  ): T | null | Promise<T | null> {
    if (data === null) return null;
    let framing;
    try {
      framing = readFraming(data, headers, this.#headerName);
    } catch (err) {
      throw this.#failure(this.#deserializeCode, `cannot read the schema id of a record of topic '${topic}'`, err);
    }
    const key = framing.guid ?? framing.id;
    const reader = this.#readers.get(key);
    if (reader !== undefined) return this.#decode(reader, key, data, framing.offset);
    return this.#reader(key).then((r) => this.#decode(r, key, data, framing.offset));
  }

  #decode(reader: Decoder<T>, key: number | string, data: Buffer, offset: number): T {
    try {
      return reader(data, offset);
    } catch (err) {
      throw this.#failure(this.#deserializeCode, `cannot decode a record written with schema ${describe(key)}`, err);
    }
  }

  #reader(key: number | string): Promise<Decoder<T>> {
    const running = this.#fetching.get(key);
    if (running) return running;
    const fetching = this.#resolveReader(key).finally(() => this.#fetching.delete(key));
    this.#fetching.set(key, fetching);
    return fetching;
  }

  async #resolveReader(key: number | string): Promise<Decoder<T>> {
    try {
      const schema =
        typeof key === 'string' ? await this.registry.getSchemaByGuid(key) : await this.registry.getSchema(key);
      if (schema.schemaType !== this.format.type) {
        throw new TypeError(`it is a ${schema.schemaType} schema, and this serde reads ${this.format.type}`);
      }
      const decoder = this.format.decoder(schema.schema, await this.#referencedTexts(schema.references));
      this.#readers.set(key, decoder);
      return decoder;
    } catch (err) {
      throw this.#failure(this.#deserializeCode, `cannot resolve schema ${describe(key)}`, err);
    }
  }

  #failure(code: ErrorCode, message: string, cause: unknown): KafkaError {
    return kafkaError(code, `${message}${causeDetail(cause)}`, { cause });
  }
}

/** Headers as kafkajs's `message.headers`: an object of values, a name repeated as an array. */
export type HeaderObject = Record<string, Buffer | string | ReadonlyArray<Buffer | string> | null | undefined>;

/** Headers as the list deserializers take. */
function headerList(headers: RecordHeaderList | HeaderObject | undefined): RecordHeaderList | undefined {
  if (headers === undefined || Array.isArray(headers)) return headers as RecordHeaderList | undefined;
  const list: Array<readonly [string, Buffer | null]> = [];
  const bytes = (v: Buffer | string) => (typeof v === 'string' ? Buffer.from(v) : v);
  for (const [name, value] of Object.entries(headers as HeaderObject)) {
    if (Array.isArray(value)) for (const v of value as Array<Buffer | string>) list.push([name, bytes(v)]);
    else list.push([name, value === null || value === undefined ? null : bytes(value as Buffer | string)]);
  }
  return list;
}

function describe(key: number | string): string {
  return typeof key === 'string' ? `GUID ${key}` : `id ${key}`;
}

/** Checks the options every serde takes; the format's own are checked by its factory. */
export function checkSerdeOptions(options: unknown, factory: string): SerdeOptions {
  if (options === undefined) return {};
  if (!isPlainObject(options)) throw new TypeError(`${factory} options must be an object, got ${typeName(options)}`);
  const o = options as SerdeOptions;
  for (const flag of ['isKey', 'autoRegister', 'useLatest', 'normalize'] as const) {
    if (o[flag] !== undefined && typeof o[flag] !== 'boolean') {
      throw new TypeError(`${flag} must be a boolean, got ${typeName(o[flag])}`);
    }
  }
  if (o.schemaId !== undefined) {
    if (typeof o.schemaId !== 'number') throw new TypeError(`schemaId must be a number, got ${typeName(o.schemaId)}`);
    if (!Number.isInteger(o.schemaId) || o.schemaId < 0) {
      throw new RangeError(`schemaId must be a non-negative integer, got ${o.schemaId}`);
    }
  }
  const s = o.subject;
  if (s !== undefined && typeof s !== 'function' && s !== 'topic' && s !== 'record' && s !== 'topic-record') {
    throw new RangeError(`subject must be 'topic', 'record', 'topic-record' or a function, got ${show(s)}`);
  }
  return o;
}
