/**
 * `kafka-napi/schema-registry`: serializers and deserializers in the Confluent Schema Registry wire
 * format for Avro, Protobuf and JSON Schema, against any Confluent-compatible registry. See
 * docs/schema-registry.md.
 */
import { isPlainObject, show, typeName } from '../core/validate';
import { avroFormat } from './avro';
import { SchemaRegistry } from './client';
import { jsonSchemaFormat } from './json-schema';
import { protobufFormat, type ProtobufObjectOptions } from './protobuf';
import { checkSerdeOptions, RegistrySerde, type Serde, type SerdeOptions } from './serde';

export {
  SchemaRegistry,
  SchemaRegistryError,
  type CompatibilityLevel,
  type RegisteredSchema,
  type RegistryAuth,
  type Schema,
  type SchemaReference,
  type SchemaRegistryOptions,
  type SchemaType,
} from './client';
export type { HeaderObject, Serde, SerdeOptions } from './serde';
export type { SubjectNameStrategy } from './subjects';
export type { ProtobufObjectOptions } from './protobuf';
export type { RecordHeaderList } from '../core/serde';

export interface AvroSerdeOptions extends SerdeOptions {
  /**
   * The schema (JSON text or object): what the serializer registers and writes, and what the deserializer
   * reads records as (older and newer writers' records are resolved to it). Without one, records are read
   * as they were written.
   */
  schema?: string | object;
}

export interface ProtobufSerdeOptions extends SerdeOptions {
  /** The .proto file's text: what the serializer registers and writes with. */
  schema?: string;
  /** The message type the serializer writes, fully qualified (`example.User`, `example.User.Phone`). */
  messageType?: string;
  /** The files `schema` imports, by the name it imports them as: registered under that name as subject. */
  imports?: Record<string, string>;
  /** How decoded messages become plain objects. */
  objects?: ProtobufObjectOptions;
}

export interface JsonSchemaSerdeOptions extends SerdeOptions {
  /** The JSON schema (text or object) the serializer registers, validates against and writes with. */
  schema?: string | object;
  /** Validates what is read against its writer's schema too (default true). */
  validate?: boolean;
}

/** Avro values (on the optional dependency `avsc`). */
export function avroSerde<T = unknown>(registry: SchemaRegistry, options: AvroSerdeOptions = {}): Serde<T> {
  checkRegistry(registry, 'avroSerde');
  const o = checkSerdeOptions(options, 'avroSerde') as AvroSerdeOptions;
  checkSchema(o.schema, true);
  return new RegistrySerde<T>(registry, avroFormat<T>(o.schema), o, registry.cacheTtlMs);
}

/** Protobuf messages (on the optional dependency `protobufjs`); values are plain objects or messages. */
export function protobufSerde<T = Record<string, unknown>>(
  registry: SchemaRegistry,
  options: ProtobufSerdeOptions = {},
): Serde<T> {
  checkRegistry(registry, 'protobufSerde');
  const o = checkSerdeOptions(options, 'protobufSerde') as ProtobufSerdeOptions;
  checkSchema(o.schema, false);
  if (o.messageType !== undefined && typeof o.messageType !== 'string') {
    throw new TypeError(`messageType must be a string, got ${typeName(o.messageType)}`);
  }
  const imports = o.imports ?? {};
  if (!isPlainObject(imports) || Object.values(imports).some((t) => typeof t !== 'string')) {
    throw new TypeError('imports must be an object of .proto file name -> file text (strings)');
  }
  if (o.objects !== undefined && !isPlainObject(o.objects)) {
    throw new TypeError(`objects must be an object, got ${typeName(o.objects)}`);
  }
  const format = protobufFormat<T>(o.schema, o.messageType, imports, o.objects ?? {});
  return new RegistrySerde<T>(registry, format, o, registry.cacheTtlMs);
}

/** JSON values validated by a JSON Schema (on the optional dependency `ajv`). */
export function jsonSchemaSerde<T = unknown>(registry: SchemaRegistry, options: JsonSchemaSerdeOptions = {}): Serde<T> {
  checkRegistry(registry, 'jsonSchemaSerde');
  const o = checkSerdeOptions(options, 'jsonSchemaSerde') as JsonSchemaSerdeOptions;
  checkSchema(o.schema, true);
  if (o.validate !== undefined && typeof o.validate !== 'boolean') {
    throw new TypeError(`validate must be a boolean, got ${typeName(o.validate)}`);
  }
  return new RegistrySerde<T>(registry, jsonSchemaFormat<T>(o.schema, o.validate !== false), o, registry.cacheTtlMs);
}

function checkRegistry(registry: unknown, factory: string): void {
  if (!(registry instanceof SchemaRegistry)) {
    throw new TypeError(`${factory}: registry must be a SchemaRegistry, got ${typeName(registry)}`);
  }
}

function checkSchema(schema: unknown, objectAllowed: boolean): void {
  if (schema === undefined || typeof schema === 'string') return;
  if (objectAllowed && typeof schema === 'object' && schema !== null) return;
  throw new TypeError(`schema must be a string${objectAllowed ? ' or an object' : ''}, got ${show(schema)}`);
}
