/** KafkaAdmin's calls on consumer groups and their committed offsets. */
import { kafkaError, type KafkaError } from '../core/errors';
import type { NativeGroupResult } from '../native/addon';
import type { TopicPartition, TopicPartitionOffset } from '../core/types';
import { arrayArg, optionsArg, topicPartitionsArg } from '../core/validate';
import { groupDescription, partitionOffsets, withError } from './convert';
import { GROUP_STATES, GROUP_TYPES, type ConsumerGroupState, type ConsumerGroupType } from './enums';
import type {
  AdminCallOptions,
  ConsumerGroupDescription,
  GroupPartitionOffset,
  GroupResult,
  ListConsumerGroupsResult,
  PartitionResult,
} from './types';
import { adminTimeout, inRequestOrder, booleanOption, groupIdArg, groupIdsArg } from './args';
import type { AdminContext } from './context';
import { listOffsets } from './records';

export async function listConsumerGroups(
  ctx: AdminContext,
  options?: AdminCallOptions & { states?: ConsumerGroupState[]; types?: ConsumerGroupType[] },
): Promise<ListConsumerGroupsResult> {
  ctx.checkUsable();
  const opts = optionsArg(options);
  const states = Array.from(arrayArg(opts.states ?? [], 'states'), (s, i) => GROUP_STATES.toNative(s, `states[${i}]`));
  const types = Array.from(arrayArg(opts.types ?? [], 'types'), (t, i) => GROUP_TYPES.toNative(t, `types[${i}]`));
  const timeoutMs = adminTimeout(opts);
  const result = await ctx.call('listConsumerGroups', (id) =>
    ctx.native.listConsumerGroups(id, states, types, timeoutMs),
  );
  return {
    groups: result.groups
      .map((g) => ({
        groupId: g.groupId,
        isSimple: g.isSimple,
        state: GROUP_STATES.fromNative(g.state),
        type: GROUP_TYPES.fromNative(g.type),
      }))
      .sort((a, b) => (a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0)),
    errors: result.errors as KafkaError[],
  };
}

export async function describeConsumerGroups(
  ctx: AdminContext,
  groupIds: string[],
  options?: AdminCallOptions & { includeAuthorizedOperations?: boolean },
): Promise<ConsumerGroupDescription[]> {
  ctx.checkUsable();
  const ids = groupIdsArg(groupIds, 'groupIds');
  const opts = optionsArg(options);
  const timeoutMs = adminTimeout(opts);
  const authorized = booleanOption(opts, 'includeAuthorizedOperations');
  if (ids.length === 0) return [];
  const result = await ctx.call('describeConsumerGroups', (id) =>
    ctx.native.describeConsumerGroups(id, ids, authorized, timeoutMs),
  );
  return inRequestOrder(result.groups, ids, (g) => g.groupId).map(groupDescription);
}

export async function deleteConsumerGroups(
  ctx: AdminContext,
  groupIds: string[],
  options?: AdminCallOptions,
): Promise<GroupResult[]> {
  ctx.checkUsable();
  const ids = groupIdsArg(groupIds, 'groupIds');
  const timeoutMs = adminTimeout(optionsArg(options));
  if (ids.length === 0) return [];
  const result = await ctx.call('deleteConsumerGroups', (id) => ctx.native.deleteConsumerGroups(id, ids, timeoutMs));
  return inRequestOrder(result.groupResults, ids, (g) => g.groupId).map((g) =>
    withError({ groupId: g.groupId }, g.error),
  );
}

export async function listConsumerGroupOffsets(
  ctx: AdminContext,
  groupId: string,
  partitions?: TopicPartition[] | null,
  options?: AdminCallOptions & { requireStable?: boolean; withLag?: boolean },
): Promise<GroupPartitionOffset[]> {
  ctx.checkUsable();
  const group = groupIdArg(groupId, 'groupId');
  const cols = partitions == null ? null : topicPartitionsArg(partitions, 'partitions');
  const opts = optionsArg(options);
  const timeoutMs = adminTimeout(opts);
  const requireStable = booleanOption(opts, 'requireStable');
  const withLag = booleanOption(opts, 'withLag');
  if (cols && cols.topics.length === 0) return [];
  const result = await ctx.call('listConsumerGroupOffsets', (id) =>
    ctx.native.listConsumerGroupOffsets(
      id,
      group,
      cols?.topics ?? null,
      cols?.partitions ?? null,
      requireStable,
      timeoutMs,
    ),
  );
  const offsets = groupItems(ctx, result);
  if (!withLag || offsets.length === 0) return offsets;
  const ends = await listOffsets(ctx, offsets, 'latest', { timeoutMs });
  const end = new Map(ends.map((e) => [`${e.topic}\0${e.partition}`, e]));
  return offsets.map((o) => {
    const e = end.get(`${o.topic}\0${o.partition}`);
    if (!e || e.error || o.error) return { ...o, lag: null };
    return { ...o, lag: o.offset < 0 ? null : Math.max(0, e.offset - o.offset) };
  });
}

export async function alterConsumerGroupOffsets(
  ctx: AdminContext,
  groupId: string,
  offsets: TopicPartitionOffset[],
  options?: AdminCallOptions,
): Promise<GroupPartitionOffset[]> {
  ctx.checkUsable();
  const group = groupIdArg(groupId, 'groupId');
  const cols = topicPartitionsArg(offsets, 'offsets', 'absolute', { offsetRequired: true });
  const timeoutMs = adminTimeout(optionsArg(options));
  if (cols.topics.length === 0) return [];
  const result = await ctx.call('alterConsumerGroupOffsets', (id) =>
    ctx.native.alterConsumerGroupOffsets(id, group, cols.topics, cols.partitions, cols.offsets, timeoutMs),
  );
  return groupItems(ctx, result);
}

export async function deleteConsumerGroupOffsets(
  ctx: AdminContext,
  groupId: string,
  partitions: TopicPartition[],
  options?: AdminCallOptions,
): Promise<PartitionResult[]> {
  ctx.checkUsable();
  const group = groupIdArg(groupId, 'groupId');
  const cols = topicPartitionsArg(partitions, 'partitions');
  const timeoutMs = adminTimeout(optionsArg(options));
  if (cols.topics.length === 0) return [];
  const result = await ctx.call('deleteConsumerGroupOffsets', (id) =>
    ctx.native.deleteConsumerGroupOffsets(id, group, cols.topics, cols.partitions, timeoutMs),
  );
  return groupItems(ctx, result).map(({ topic, partition, error }) => withError({ topic, partition }, error));
}

/** A single group's result: its error rejects, its partitions become items. */
export function groupItems(ctx: AdminContext, result: { groupResults: NativeGroupResult[] }): GroupPartitionOffset[] {
  const group = result.groupResults[0];
  if (!group) throw kafkaError('_FAIL', 'no group in the result');
  if (group.error) throw group.error;
  return partitionOffsets(group.partitions);
}
