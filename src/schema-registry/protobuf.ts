/**
 * Protobuf on `protobufjs` (an optional dependency). Data is the message's binary encoding, preceded by
 * its message indexes: the path from the .proto file's top-level messages to the type (`[1]`: the second
 * top-level message; `[1, 0]`: that message's first nested message), which is how a reader that knows
 * only the schema id finds the type. Imports are other registered schemas, referenced by file name;
 * Google's well-known types (google/protobuf/*.proto) are built in, as in Confluent's serdes.
 */
import type * as Protobuf from 'protobufjs';

import type { Decoder, Encoder, Format, LocalImport, LocalSchema, ReferencedTexts } from './format';
import { optional } from './format';
import { readMessageIndexes, writeMessageIndexes } from './wire';

const SERDE = 'protobufSerde';
const WELL_KNOWN = 'google/protobuf/';

/** How decoded messages become plain objects (protobufjs's toObject options). */
export interface ProtobufObjectOptions {
  /** int64 fields as 'string' (the default: exact) or 'number'. */
  longs?: 'string' | 'number';
  /** Enum fields as their 'string' names (the default) or 'number' values. */
  enums?: 'string' | 'number';
  /** bytes fields as a 'buffer' (the default) or a 'base64' string. */
  bytes?: 'buffer' | 'base64';
  /** Fields left at their default are present (default true). */
  defaults?: boolean;
}

export function protobufFormat<T>(
  schema: string | undefined,
  messageType: string | undefined,
  imports: Record<string, string>,
  objectOptions: ProtobufObjectOptions,
): Format<T> {
  const pb = optional<typeof Protobuf>('protobufjs', SERDE);
  const importList = Object.entries(imports).map(([name, text]) => ({ name, text }));
  let local: LocalSchema | undefined;
  if (schema !== undefined) {
    if (messageType === undefined)
      throw new TypeError('messageType is required with a schema: the type the serializer writes');
    const root = load(pb, schema, new Map(importList.map((i) => [i.name, i.text])));
    root.lookupType(messageType); // fails now, not at the first record, for a type the schema lacks
    local = {
      text: schema,
      references: importsOf(pb, schema),
      imports: dependencyOrder(pb, importList),
      recordName: messageType.replace(/^\./, ''),
    };
  }
  const conversion: Protobuf.IConversionOptions = {
    longs: objectOptions.longs === 'number' ? Number : String,
    enums: objectOptions.enums === 'number' ? Number : String,
    bytes: objectOptions.bytes === 'base64' ? String : Buffer,
    defaults: objectOptions.defaults !== false,
  };
  return {
    type: 'PROTOBUF',
    local,
    encoder(text: string, references: ReferencedTexts): Encoder<T> {
      if (messageType === undefined) throw new TypeError('messageType is required to serialize');
      const root = load(pb, text, references);
      const type = root.lookupType(messageType);
      const indexes = writeMessageIndexes(messageIndexes(pb, text, type.fullName));
      return {
        indexes,
        encode(value: T): Uint8Array {
          const message = value instanceof pb.Message ? value : type.fromObject(checked(type, value));
          return type.encode(message).finish();
        },
      };
    },
    decoder(text: string, references: ReferencedTexts): Decoder<T> {
      const root = load(pb, text, references);
      const topLevel = declaredMessages(pb, text);
      const types = new Map<string, Protobuf.Type>();
      return (payload, offset) => {
        const { indexes, offset: start } = readMessageIndexes(payload, offset);
        const key = indexes.join('.');
        let type = types.get(key);
        if (type === undefined) {
          type = root.lookupType(typeAt(topLevel, indexes));
          types.set(key, type);
        }
        return type.toObject(type.decode(payload.subarray(start)), conversion) as T;
      };
    },
  };
}

/** protobufjs's fromObject ignores what it does not know: a misspelt field would be dropped silently. */
function checked(type: Protobuf.Type, value: unknown, where = type.fullName.slice(1)): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`${where} must be an object, got ${value === null ? 'null' : typeof value}`);
  }
  const fields = type.fields;
  for (const [name, inner] of Object.entries(value)) {
    const field = fields[name];
    if (field === undefined) throw new TypeError(`${where} has no field '${name}'`);
    const message = field.resolvedType;
    if (inner === null || inner === undefined || message === null || !('fields' in message)) continue;
    const nested = message as Protobuf.Type;
    if (field.repeated && Array.isArray(inner)) inner.forEach((v, i) => checked(nested, v, `${where}.${name}[${i}]`));
    else if (field.map)
      for (const [k, v] of Object.entries(inner as object)) checked(nested, v, `${where}.${name}[${k}]`);
    else checked(nested, inner, `${where}.${name}`);
  }
  return value as Record<string, unknown>;
}

/**
 * One .proto file on its own: its definitions, package, imports and message types in declaration order.
 * A registry may hold it as text or, as Confluent's serializers register it, as a base64
 * FileDescriptorProto (Apicurio returns either as it was registered).
 */
interface ProtoFile {
  readonly imports: readonly string[];
  readonly messages: readonly Declared[];
  /** Its definitions as protobufjs JSON (text), or the decoded descriptor (base64). */
  readonly json: Record<string, Protobuf.AnyNestedObject> | undefined;
  readonly descriptor: FileDescriptor | undefined;
}

/** A message type and its nested ones. */
interface Declared {
  readonly fullName: string;
  readonly nested: Declared[];
}

interface MessageDescriptor {
  name?: string | null;
  nestedType?: MessageDescriptor[] | null;
}
interface FileDescriptor {
  package?: string | null;
  dependency?: string[] | null;
  messageType?: MessageDescriptor[] | null;
}
interface DescriptorModule {
  FileDescriptorProto: { decode(bytes: Uint8Array): FileDescriptor };
}
type RootFromDescriptor = { fromDescriptor(set: { file: FileDescriptor[] }): Protobuf.Root };

const BASE64 = /^[A-Za-z0-9+/=\s]+$/;

function protoFile(pb: typeof Protobuf, text: string): ProtoFile {
  if (BASE64.test(text)) {
    const descriptors = optional<DescriptorModule>('protobufjs/ext/descriptor', SERDE);
    const descriptor = descriptors.FileDescriptorProto.decode(Buffer.from(text, 'base64'));
    const prefix = descriptor.package ? `.${descriptor.package}` : '';
    const walk = (list: MessageDescriptor[] | null | undefined, scope: string): Declared[] =>
      (list ?? []).map((m) => ({ fullName: `${scope}.${m.name}`, nested: walk(m.nestedType, `${scope}.${m.name}`) }));
    return {
      imports: descriptor.dependency ?? [],
      messages: walk(descriptor.messageType, prefix),
      json: undefined,
      descriptor,
    };
  }
  const parsed = pb.parse(text, new pb.Root(), { keepCase: true });
  const start = parsed.package ? parsed.root.lookup(parsed.package) : parsed.root;
  const walk = (ns: Protobuf.NamespaceBase | null): Declared[] =>
    (ns?.nestedArray ?? [])
      .filter((o): o is Protobuf.Type => o instanceof pb.Type)
      .map((t) => ({ fullName: t.fullName, nested: walk(t) }));
  return {
    imports: [...(parsed.imports ?? []), ...(parsed.weakImports ?? [])],
    messages: walk(start as Protobuf.NamespaceBase | null),
    json: parsed.root.toJSON().nested ?? {},
    descriptor: undefined,
  };
}

/**
 * One root holding the schema and everything it imports. Descriptor-form files are built together (each
 * needs its dependencies at hand); text files are added as they are.
 */
function load(pb: typeof Protobuf, text: string, references: ReferencedTexts): Protobuf.Root {
  const root = new pb.Root();
  const descriptors: FileDescriptor[] = [];
  const seen = new Set<string>();
  const add = (file: ProtoFile): void => {
    if (file.json) root.addJSON(file.json);
    else descriptors.push(file.descriptor!);
    for (const name of file.imports) {
      if (seen.has(name)) continue;
      seen.add(name);
      if (name.startsWith(WELL_KNOWN)) {
        const common = pb.common.get(name);
        if (common === null) throw new TypeError(`unknown well-known import '${name}'`);
        root.addJSON(common.nested ?? {});
        continue;
      }
      const imported = references.get(name);
      if (imported === undefined) throw new TypeError(`import '${name}' is not among the schema's references`);
      add(protoFile(pb, imported));
    }
  };
  add(protoFile(pb, text));
  if (descriptors.length > 0) {
    const built = (pb.Root as unknown as RootFromDescriptor).fromDescriptor({ file: descriptors.reverse() });
    root.addJSON(built.toJSON().nested ?? {});
  }
  root.resolveAll();
  return root;
}

function declaredMessages(pb: typeof Protobuf, text: string): readonly Declared[] {
  return protoFile(pb, text).messages;
}

function messageIndexes(pb: typeof Protobuf, text: string, fullName: string): number[] {
  const find = (list: readonly Declared[], path: number[]): number[] | undefined => {
    for (let i = 0; i < list.length; i++) {
      if (list[i].fullName === fullName) return [...path, i];
      const inner = find(list[i].nested, [...path, i]);
      if (inner) return inner;
    }
    return undefined;
  };
  const found = find(declaredMessages(pb, text), []);
  if (found === undefined) throw new TypeError(`${fullName.slice(1)} is not declared in the schema's own file`);
  return found;
}

function typeAt(topLevel: readonly Declared[], indexes: number[]): string {
  let list = topLevel;
  let current: Declared | undefined;
  for (const i of indexes) {
    current = list[i];
    if (current === undefined)
      throw new TypeError(`message indexes [${indexes.join(', ')}] name no type of the schema`);
    list = current.nested;
  }
  return current!.fullName;
}

/** Imports ordered so that each comes after those it imports (registration order). */
function dependencyOrder(pb: typeof Protobuf, imports: Array<{ name: string; text: string }>): LocalImport[] {
  const byName = new Map(imports.map((i) => [i.name, i]));
  const ordered: LocalImport[] = [];
  const placed = new Set<string>();
  const place = (name: string): void => {
    const entry = byName.get(name);
    if (entry === undefined || placed.has(name)) return;
    placed.add(name);
    const references = importsOf(pb, entry.text);
    for (const inner of references) place(inner);
    ordered.push({ ...entry, references });
  };
  for (const i of imports) place(i.name);
  return ordered;
}

/** The files a .proto file imports, but for the built-in well-known types. */
function importsOf(pb: typeof Protobuf, text: string): string[] {
  return protoFile(pb, text).imports.filter((name) => !name.startsWith(WELL_KNOWN));
}
