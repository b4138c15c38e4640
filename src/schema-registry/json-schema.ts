/**
 * JSON Schema on `ajv` (an optional dependency). Data is the value as UTF-8 JSON; values are validated
 * against the schema on serialize and, unless `validate` is false, on deserialize. Drafts 07 (the
 * default), 2019-09 and 2020-12 are told apart by `$schema`.
 */
import type AjvCore from 'ajv';

import type { Decoder, Encoder, Format, LocalSchema, ReferencedTexts } from './format';
import { optional } from './format';

const SERDE = 'jsonSchemaSerde';

type AjvClass = typeof AjvCore;
type Validate = ((data: unknown) => boolean) & { errors?: Array<{ instancePath?: string; message?: string }> | null };

export function jsonSchemaFormat<T>(schema: string | object | undefined, validateOnRead: boolean): Format<T> {
  // Loaded now, so a serde made without ajv installed fails where it is made, not at its first record.
  optional<{ default: AjvClass }>('ajv', SERDE);
  const text = schema === undefined ? undefined : typeof schema === 'string' ? schema : JSON.stringify(schema);
  let local: LocalSchema | undefined;
  if (text !== undefined) {
    const parsed = JSON.parse(text) as { title?: unknown };
    local = {
      text,
      references: [],
      imports: [],
      recordName: typeof parsed.title === 'string' ? parsed.title : undefined,
    };
  }
  return {
    type: 'JSON',
    local,
    encoder(writerText: string, references: ReferencedTexts): Encoder<T> {
      const validate = compile(writerText, references);
      return {
        indexes: undefined,
        encode(value: T): Uint8Array {
          check(validate, value);
          return Buffer.from(JSON.stringify(value), 'utf8');
        },
      };
    },
    decoder(writerText: string, references: ReferencedTexts): Decoder<T> {
      const validate = validateOnRead ? compile(writerText, references) : undefined;
      return (payload, offset) => {
        const value = JSON.parse(payload.toString('utf8', offset)) as T;
        if (validate) check(validate, value);
        return value;
      };
    },
  };
}

function compile(text: string, references: ReferencedTexts): Validate {
  const schema = JSON.parse(text) as { $schema?: unknown };
  const draft = typeof schema.$schema === 'string' ? schema.$schema : '';
  const module = draft.includes('2020-12') ? 'ajv/dist/2020' : draft.includes('2019-09') ? 'ajv/dist/2019' : 'ajv';
  const loaded = optional<{ default: AjvClass }>(module, SERDE);
  const ajv = new loaded.default({ strict: false, allErrors: false });
  for (const [name, referenced] of references) ajv.addSchema(JSON.parse(referenced) as object, name);
  return ajv.compile(schema as object) as Validate;
}

function check(validate: Validate, value: unknown): void {
  if (validate(value)) return;
  const first = validate.errors?.[0];
  throw new TypeError(
    `the value does not match the JSON schema: ${first?.instancePath || '/'} ${first?.message ?? ''}`.trim(),
  );
}
