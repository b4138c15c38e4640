/**
 * Avro on `avsc` (an optional dependency). Data is Avro's binary encoding of the value. A reader schema
 * (the serde's `schema`) is resolved against each writer's schema, so a consumer reads older and newer
 * versions as its own (fields added with a default appear with that default).
 */
import type * as Avsc from 'avsc';

import type { Decoder, Encoder, Format, LocalSchema, ReferencedTexts } from './format';
import { optional } from './format';

const SERDE = 'avroSerde';

export function avroFormat<T>(schema: string | object | undefined): Format<T> {
  const avsc = optional<typeof Avsc>('avsc', SERDE);
  const text = schema === undefined ? undefined : typeof schema === 'string' ? schema : JSON.stringify(schema);
  let readerType: Avsc.Type | undefined;
  let local: LocalSchema | undefined;
  if (text !== undefined) {
    readerType = parse(avsc, text, new Map());
    local = { text, references: [], imports: [], recordName: readerType.name };
  }
  return {
    type: 'AVRO',
    local,
    encoder(writerText: string, references: ReferencedTexts): Encoder<T> {
      const type = writerText === text && readerType ? readerType : parse(avsc, writerText, references);
      return { indexes: undefined, encode: (value: T) => type.toBuffer(value) };
    },
    decoder(writerText: string, references: ReferencedTexts): Decoder<T> {
      const writer = parse(avsc, writerText, references);
      if (readerType === undefined || writerText === text) {
        return (payload, offset) => writer.fromBuffer(payload.subarray(offset)) as T;
      }
      const resolver = readerType.createResolver(writer);
      const reader = readerType;
      return (payload, offset) => reader.fromBuffer(payload.subarray(offset), resolver) as T;
    },
  };
}

/** A schema whose named types may come from referenced schemas (parsed first into the same registry). */
function parse(avsc: typeof Avsc, text: string, references: ReferencedTexts): Avsc.Type {
  const registry = {};
  for (const referenced of references.values())
    avsc.Type.forSchema(JSON.parse(referenced) as Avsc.Schema, { registry });
  return avsc.Type.forSchema(JSON.parse(text) as Avsc.Schema, { registry });
}
