/** KafkaAdmin's calls on topics, partitions and the cluster. */
import { kafkaError } from '../core/errors';
import type { TopicPartition } from '../core/types';
import {
  arrayArg,
  integerArg,
  isPlainObject,
  MAX_PARTITION,
  optionsArg,
  plainObjectArg,
  topicArg,
  topicPartitionsArg,
  typeName,
} from '../core/validate';
import { broker, operations, topicDescription, withError } from './convert';
import { ELECTION_TYPES, type ElectionType } from './enums';
import type {
  AdminCallOptions,
  ClusterDescription,
  ItemResult,
  NewTopic,
  PartitionResult,
  TopicDescription,
  TopicResult,
} from './types';
import { MAX_ADMIN_TIMEOUT_MS, adminTimeout, countArg, booleanOption, throwFirstTopicError } from './args';
import type { AdminContext } from './context';

export async function createTopics(
  ctx: AdminContext,
  topics: NewTopic[],
  options?: { validateOnly?: boolean; timeoutMs?: number },
): Promise<void> {
  ctx.checkUsable();
  // Array.from: a sparse array's holes become undefined (and a TypeError) instead of being skipped.
  const specs = Array.from(arrayArg(topics, 'topics'), (t, i) => {
    if (!isPlainObject(t)) throw new TypeError(`topics[${i}] must be a plain object, got ${typeName(t)}`);
    const configs = t.configs ?? {};
    if (!isPlainObject(configs)) {
      throw new TypeError(`topics[${i}].configs must be a plain object, got ${typeName(configs)}`);
    }
    return {
      name: topicArg(t.name, `topics[${i}].name`),
      numPartitions: countArg(t.numPartitions, `topics[${i}].numPartitions`, MAX_PARTITION),
      // Kafka's replication factor is an int16.
      replicationFactor: countArg(t.replicationFactor, `topics[${i}].replicationFactor`, 32_767),
      configs: Object.entries(configs).flatMap(([k, v]) => {
        if (!['string', 'number', 'boolean'].includes(typeof v)) {
          throw new TypeError(`topics[${i}].configs['${k}'] must be a string, got ${typeName(v)}`);
        }
        return [k, String(v)];
      }),
    };
  });
  const opts = optionsArg(options);
  const timeoutMs = adminTimeout(opts);
  if (opts.validateOnly !== undefined && typeof opts.validateOnly !== 'boolean') {
    throw new TypeError(`validateOnly must be a boolean, got ${typeName(opts.validateOnly)}`);
  }
  const validateOnly = opts.validateOnly === true;
  if (specs.length === 0) return;
  const deadline = Date.now() + timeoutMs;
  const result = await ctx.call('createTopics', (id) => ctx.native.createTopics(id, specs, validateOnly, timeoutMs));
  throwFirstTopicError(result);
  if (!validateOnly)
    await awaitLeaders(
      ctx,
      specs.map((s) => s.name),
      deadline,
    );
}

/**
 * The controller has created the topics, but brokers learn of them asynchronously: wait until the
 * metadata this client sees lists every partition with a leader, so the topics are usable at once.
 */
export async function awaitLeaders(ctx: AdminContext, names: string[], deadline: number): Promise<void> {
  for (;;) {
    const md = await ctx.guard(
      ctx.native.metadata(null, Math.min(MAX_ADMIN_TIMEOUT_MS, Math.max(1000, deadline - Date.now()))),
    );
    const ready = names.every((name) => {
      const t = md.topics.find((x) => x.name === name);
      return (
        t !== undefined && t.error === 'NO_ERROR' && t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0)
      );
    });
    if (ready) return;
    if (Date.now() > deadline) {
      throw kafkaError('_TIMED_OUT', `topics created but not all partitions have a leader yet: ${names.join(', ')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function deleteTopics(
  ctx: AdminContext,
  names: string[],
  options?: { timeoutMs?: number },
): Promise<void> {
  ctx.checkUsable();
  const list = Array.from(arrayArg(names, 'names'), (n, i) => topicArg(n, `names[${i}]`));
  const timeoutMs = adminTimeout(optionsArg(options));
  if (list.length === 0) return;
  const result = await ctx.call('deleteTopics', (id) => ctx.native.deleteTopics(id, list, timeoutMs));
  throwFirstTopicError(result);
}

export async function listTopics(
  ctx: AdminContext,
  options?: AdminCallOptions & { includeInternal?: boolean },
): Promise<string[]> {
  ctx.checkUsable();
  const opts = optionsArg(options);
  const includeInternal = booleanOption(opts, 'includeInternal');
  const md = await ctx.guard(ctx.native.metadata(null, adminTimeout(opts)));
  return md.topics
    .map((t) => t.name)
    .filter((n) => includeInternal || !n.startsWith('__'))
    .sort();
}

export async function describeTopics(
  ctx: AdminContext,
  names: string[],
  options?: AdminCallOptions & { includeAuthorizedOperations?: boolean },
): Promise<Array<TopicDescription & ItemResult>> {
  ctx.checkUsable();
  const list = Array.from(arrayArg(names, 'names'), (n, i) => topicArg(n, `names[${i}]`));
  const opts = optionsArg(options);
  const timeoutMs = adminTimeout(opts);
  const authorized = booleanOption(opts, 'includeAuthorizedOperations');
  if (list.length === 0) return [];
  // librdkafka sends DescribeTopics to the controller it last heard of and, while that broker is down,
  // waits for it until the timeout — exactly when users look at their topics (a broker just died).
  // A metadata request goes to any live broker: the request follows to the broker that answered it.
  const deadline = Date.now() + timeoutMs;
  // (All topics: asking for one by name could auto-create it.)
  const md = await ctx.guard(ctx.native.metadata(null, timeoutMs));
  const left = Math.max(0, deadline - Date.now());
  const result = await ctx.call('describeTopics', (id) =>
    ctx.native.describeTopics(id, list, authorized, left, md.origBrokerId),
  );
  const byName = new Map(result.descriptions.map((d) => [d.name, topicDescription(d)]));
  return list.map(
    (name) =>
      byName.get(name) ?? {
        name,
        partitions: [],
        error: kafkaError('UNKNOWN_TOPIC_OR_PART', `no result for ${name}`),
      },
  );
}

export async function describeCluster(
  ctx: AdminContext,
  options?: AdminCallOptions & { includeAuthorizedOperations?: boolean },
): Promise<ClusterDescription> {
  ctx.checkUsable();
  const opts = optionsArg(options);
  const timeoutMs = adminTimeout(opts);
  const authorized = booleanOption(opts, 'includeAuthorizedOperations');
  const result = await ctx.call('describeCluster', (id) => ctx.native.describeCluster(id, authorized, timeoutMs));
  const cluster = result.cluster;
  if (!cluster) throw kafkaError('_FAIL', 'describeCluster returned no result');
  return {
    clusterId: cluster.clusterId,
    controller: cluster.controller ? broker(cluster.controller) : null,
    brokers: cluster.brokers.map(broker),
    ...operations(cluster.authorizedOperations),
  };
}

export async function createPartitions(
  ctx: AdminContext,
  first: string | Array<{ topic: string; totalCount: number }>,
  second?: number | (AdminCallOptions & { validateOnly?: boolean }),
  third?: AdminCallOptions & { validateOnly?: boolean },
): Promise<void | TopicResult[]> {
  ctx.checkUsable();
  const single = !Array.isArray(first);
  const specs = single
    ? [{ topic: topicArg(first, 'topic'), totalCount: integerArg(second, 'totalCount', 1, MAX_PARTITION) }]
    : Array.from(first, (t, i) => {
        const spec = plainObjectArg(t, `topics[${i}]`);
        return {
          topic: topicArg(spec.topic, `topics[${i}].topic`),
          totalCount: integerArg(spec.totalCount, `topics[${i}].totalCount`, 1, MAX_PARTITION),
        };
      });
  const opts = optionsArg(single ? third : second);
  const timeoutMs = adminTimeout(opts);
  const validateOnly = booleanOption(opts, 'validateOnly');
  if (specs.length === 0) return [];
  const result = await ctx.call('createPartitions', (id) =>
    ctx.native.createPartitions(id, specs, validateOnly, timeoutMs),
  );
  const items = result.topics.map((t) => withError({ name: t.name }, t.error));
  if (!single) return items;
  if (items[0]?.error) throw items[0].error;
}

export async function electLeaders(
  ctx: AdminContext,
  type: ElectionType,
  partitions?: TopicPartition[] | null,
  options?: AdminCallOptions,
): Promise<PartitionResult[]> {
  ctx.checkUsable();
  const electionType = ELECTION_TYPES.toNative(type, 'type');
  const cols = partitions == null ? null : topicPartitionsArg(partitions, 'partitions');
  const timeoutMs = adminTimeout(optionsArg(options));
  const result = await ctx.call('electLeaders', (id) =>
    ctx.native.electLeaders(id, electionType, cols?.topics ?? null, cols?.partitions ?? null, timeoutMs),
  );
  return result.partitions.map((p) => withError({ topic: p.topic, partition: p.partition }, p.error));
}
