/**
 * What a schema format (Avro, Protobuf, JSON Schema) contributes to a serde: its local schema, and codecs
 * built from a schema text and the texts of the schemas it references.
 */
import type { SchemaType } from './client';

/** Referenced schemas by the name the referring schema uses: a .proto file name, an Avro full name. */
export type ReferencedTexts = ReadonlyMap<string, string>;

/** A schema given in the serde's options, with the schemas it imports (dependencies first). */
export interface LocalSchema {
  readonly text: string;
  /** The names of the schemas `text` imports directly. */
  readonly references: readonly string[];
  /** Every schema imported, directly or not: each after those it imports. */
  readonly imports: readonly LocalImport[];
  /** The record name the record strategies put in the subject. */
  readonly recordName: string | undefined;
}

export interface LocalImport {
  readonly name: string;
  readonly text: string;
  readonly references: readonly string[];
}

export interface Encoder<T> {
  /** Written between the schema id and the data (Protobuf's message indexes). */
  readonly indexes: Buffer | undefined;
  /** The value's data bytes; throws for a value the schema does not describe. */
  encode(value: T): Uint8Array;
}

/** Decodes the data starting at `offset` (after the schema id) of a payload. */
export type Decoder<T> = (payload: Buffer, offset: number) => T;

export interface Format<T> {
  readonly type: SchemaType;
  readonly local: LocalSchema | undefined;
  encoder(text: string, references: ReferencedTexts): Encoder<T>;
  decoder(text: string, references: ReferencedTexts): Decoder<T>;
}

/**
 * An optional dependency, loaded on first use: a format's library is installed only by applications
 * that use that format.
 */
export function optional<M>(name: string, serde: string): M {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, and only if installed
    return require(name) as M;
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code === 'MODULE_NOT_FOUND') {
      throw new Error(`${serde} needs the package '${name}', an optional dependency: npm install ${name}`, {
        cause: err,
      });
    }
    throw err;
  }
}
