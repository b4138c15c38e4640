/** KafkaAdmin's calls on configs, records and partition offsets. */
import type { TopicPartition, TopicPartitionOffset } from '../core/types';
import {
  arrayArg,
  integerArg,
  isPlainObject,
  optionsArg,
  plainObjectArg,
  show,
  topicPartitionsArg,
  typeName,
} from '../core/validate';
import { configEntry, partitionOffsets, withError } from './convert';
import { ALTER_CONFIG_OPS, ISOLATION_LEVELS, OFFSET_SPECS, RESOURCE_TYPES, type IsolationLevel } from './enums';
import type {
  AdminCallOptions,
  AlterConfigsResource,
  AlterConfigsResult,
  ConfigResource,
  ConfigResourceResult,
  DeleteRecordsResult,
  ListOffsetsResult,
  OffsetSpec,
} from './types';
import { adminTimeout, booleanOption, resourceArg } from './args';
import type { AdminContext } from './context';

export async function describeConfigs(
  ctx: AdminContext,
  resources: ConfigResource[],
  options?: AdminCallOptions,
): Promise<ConfigResourceResult[]> {
  ctx.checkUsable();
  const specs = Array.from(arrayArg(resources, 'resources'), (r, i) => resourceArg(r, `resources[${i}]`));
  const timeoutMs = adminTimeout(optionsArg(options));
  if (specs.length === 0) return [];
  const result = await ctx.call('describeConfigs', (id) => ctx.native.describeConfigs(id, specs, timeoutMs));
  return result.resources.map((r) =>
    withError(
      {
        type: RESOURCE_TYPES.fromNative(r.type) as ConfigResource['type'],
        name: r.name,
        configs: (r.configs ?? []).map(configEntry),
      },
      r.error,
    ),
  );
}

export async function incrementalAlterConfigs(
  ctx: AdminContext,
  resources: AlterConfigsResource[],
  options?: AdminCallOptions & { validateOnly?: boolean },
): Promise<AlterConfigsResult[]> {
  ctx.checkUsable();
  const specs = Array.from(arrayArg(resources, 'resources'), (r, i) => {
    const at = `resources[${i}]`;
    const { type, name } = resourceArg(r, at);
    const configs = arrayArg((r as { configs?: unknown }).configs, `${at}.configs`);
    const ops = Array.from(configs, (c, j) => {
      const entry = plainObjectArg(c, `${at}.configs[${j}]`);
      const op = ALTER_CONFIG_OPS.toNative(entry.op ?? 'set', `${at}.configs[${j}].op`);
      const value = entry.value;
      if (op !== ALTER_CONFIG_OPS.toNative('delete', 'op') && !['string', 'number', 'boolean'].includes(typeof value)) {
        throw new TypeError(`${at}.configs[${j}].value must be a string, number or boolean, got ${typeName(value)}`);
      }
      if (typeof entry.name !== 'string' || entry.name === '') {
        throw new TypeError(`${at}.configs[${j}].name must be a non-empty string, got ${show(entry.name)}`);
      }
      return { name: entry.name, op, value: value === undefined || value === null ? null : String(value) };
    });
    return { type, name, ops };
  });
  const opts = optionsArg(options);
  const timeoutMs = adminTimeout(opts);
  const validateOnly = booleanOption(opts, 'validateOnly');
  if (specs.length === 0) return [];
  const result = await ctx.call('incrementalAlterConfigs', (id) =>
    ctx.native.incrementalAlterConfigs(id, specs, validateOnly, timeoutMs),
  );
  return result.resources.map((r) =>
    withError({ type: RESOURCE_TYPES.fromNative(r.type) as ConfigResource['type'], name: r.name }, r.error),
  );
}

export async function deleteRecords(
  ctx: AdminContext,
  offsets: TopicPartitionOffset[],
  options?: AdminCallOptions,
): Promise<DeleteRecordsResult[]> {
  ctx.checkUsable();
  const list = arrayArg(offsets, 'offsets');
  const cols = topicPartitionsArg(
    list.map((o) => (isPlainObject(o) && o.offset === -1 ? { ...o, offset: 0 } : o)),
    'offsets',
    'absolute',
    { offsetRequired: true },
  );
  list.forEach((o, i) => {
    if (isPlainObject(o) && o.offset === -1) cols.offsets[i] = -1;
  });
  const timeoutMs = adminTimeout(optionsArg(options));
  if (cols.topics.length === 0) return [];
  const result = await ctx.call('deleteRecords', (id) =>
    ctx.native.deleteRecords(id, cols.topics, cols.partitions, cols.offsets, timeoutMs),
  );
  return partitionOffsets(result.offsets).map(({ topic, partition, offset, error }) =>
    withError({ topic, partition, lowWatermark: offset }, error),
  );
}

export async function listOffsets(
  ctx: AdminContext,
  partitions: TopicPartition[],
  spec: OffsetSpec = 'latest',
  options?: AdminCallOptions & { isolationLevel?: IsolationLevel },
): Promise<ListOffsetsResult[]> {
  ctx.checkUsable();
  const cols = topicPartitionsArg(partitions, 'partitions');
  let value: number;
  if (typeof spec === 'string' && spec in OFFSET_SPECS) value = OFFSET_SPECS[spec as keyof typeof OFFSET_SPECS];
  else if (isPlainObject(spec)) value = integerArg(spec.timestamp, 'spec.timestamp', 0, Number.MAX_SAFE_INTEGER);
  else throw new RangeError(`spec must be 'earliest', 'latest', 'maxTimestamp' or { timestamp }, got ${show(spec)}`);
  cols.offsets.fill(value);
  const opts = optionsArg(options);
  const isolation = ISOLATION_LEVELS.toNative(opts.isolationLevel ?? 'read_committed', 'isolationLevel');
  const timeoutMs = adminTimeout(opts);
  if (cols.topics.length === 0) return [];
  const result = await ctx.call('listOffsets', (id) =>
    ctx.native.listOffsets(id, cols.topics, cols.partitions, cols.offsets, isolation, timeoutMs),
  );
  return result.infos.map((i) =>
    withError(
      {
        topic: i.topic,
        partition: i.partition,
        offset: i.offset,
        timestamp: i.timestamp,
        leaderEpoch: i.leaderEpoch >= 0 ? i.leaderEpoch : null,
      },
      i.error,
    ),
  );
}
