/** KafkaAdmin's argument checks and the helpers its calls share. */
import { type KafkaError } from '../core/errors';
import type { NativeTopicResult } from '../native/addon';
import { arrayArg, integerArg, plainObjectArg, show, typeName } from '../core/validate';
import { ACL_OPERATIONS, ACL_PERMISSIONS, PATTERN_TYPES, RESOURCE_TYPES } from './enums';
import { MAX_NAME_LENGTH } from '../core/bounds';

export const DEFAULT_TIMEOUT_MS = 30_000;
/** librdkafka's Admin API takes request timeouts of at most one hour. */
export const MAX_ADMIN_TIMEOUT_MS = 3_600_000;

/** The `timeoutMs` of an admin call's options: an integer in [0, 1 hour]. */
export function adminTimeout(options: Record<string, unknown>): number {
  const value = options.timeoutMs;
  return value === undefined ? DEFAULT_TIMEOUT_MS : integerArg(value, 'timeoutMs', 0, MAX_ADMIN_TIMEOUT_MS);
}

/** numPartitions / replicationFactor: a positive integer, or -1 for the broker's default. */
export function countArg(value: unknown, name: string, max: number): number {
  if (value === undefined || value === -1) return -1;
  return integerArg(value, name, 1, max);
}

/** Per-item results in the order their names were asked for (brokers answer in any order). */
export function inRequestOrder<T>(items: T[], names: string[], nameOf: (item: T) => string): T[] {
  if (names.length === 0) return items;
  const rank = new Map(names.map((n, i) => [n, i]));
  const at = (item: T): number => rank.get(nameOf(item)) ?? names.length;
  return items.slice().sort((a, b) => at(a) - at(b));
}

export function booleanOption(options: Record<string, unknown>, name: string): boolean {
  const value = options[name];
  if (value !== undefined && typeof value !== 'boolean') {
    throw new TypeError(`${name} must be a boolean, got ${typeName(value)}`);
  }
  return value === true;
}

/** Group ids (and user names): non-empty strings of at most 4 KiB. */
export function groupIdArg(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_NAME_LENGTH) {
    throw new TypeError(
      `${name} must be a non-empty string of at most ${MAX_NAME_LENGTH} characters, got ${show(value)}`,
    );
  }
  return value;
}

export function groupIdsArg(value: unknown, name: string): string[] {
  return Array.from(arrayArg(value, name), (g, i) => groupIdArg(g, `${name}[${i}]`));
}

export function resourceArg(value: unknown, name: string): { type: number; name: string } {
  const spec = plainObjectArg(value, name);
  const type = RESOURCE_TYPES.toNative(spec.type, `${name}.type`, ['topic', 'group', 'broker', 'transactionalId']);
  // A broker is named by its id ('1'); librdkafka refuses an empty name of any type.
  if (typeof spec.name !== 'string' || spec.name === '') {
    throw new TypeError(`${name}.name must be a non-empty string, got ${show(spec.name)}`);
  }
  return { type, name: spec.name };
}

/** A binding (every field required) or a filter (fields left out: any). */
export function aclArg(value: unknown, name: string, filter: boolean) {
  const spec = plainObjectArg(value, name);
  const text = (key: string): string | null => {
    const v = spec[key];
    if (filter && (v === undefined || v === null)) return null;
    if (typeof v !== 'string' || v === '')
      throw new TypeError(`${name}.${key} must be a non-empty string, got ${show(v)}`);
    return v;
  };
  const pick = (key: string, fallback: string) => (filter && spec[key] === undefined ? fallback : spec[key]);
  const concrete = <T extends string>(names: T[]) =>
    filter ? names : names.filter((n) => n !== 'any' && n !== 'match');
  return {
    resourceType: RESOURCE_TYPES.toNative(
      pick('resourceType', 'any'),
      `${name}.resourceType`,
      concrete(RESOURCE_TYPES.names),
    ),
    name: text('name'),
    patternType: PATTERN_TYPES.toNative(
      pick('patternType', 'any'),
      `${name}.patternType`,
      concrete(PATTERN_TYPES.names),
    ),
    principal: text('principal'),
    host: filter ? text('host') : typeof spec.host === 'undefined' ? '*' : text('host'),
    operation: ACL_OPERATIONS.toNative(pick('operation', 'any'), `${name}.operation`, concrete(ACL_OPERATIONS.names)),
    permission: ACL_PERMISSIONS.toNative(
      pick('permission', 'any'),
      `${name}.permission`,
      concrete(ACL_PERMISSIONS.names),
    ),
  };
}

/**
 * createTopics / deleteTopics are the rejecting form (as kafka-python's create_topics raises): when any
 * topic failed, the first failure is thrown, and its `results` give every topic's own outcome (the
 * others may have succeeded).
 */
export function throwFirstTopicError(result: { topics: NativeTopicResult[] }): void {
  const failed = result.topics.find((t) => t.error);
  if (!failed?.error) return;
  const error = failed.error as KafkaError;
  error.topic ??= failed.name;
  error.results = result.topics.map((t) =>
    t.error ? { name: t.name, error: t.error as KafkaError } : { name: t.name },
  );
  throw error;
}
