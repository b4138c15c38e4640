/**
 * kafka-napi/kafkajs's admin against the real broker, written as kafkajs code. Where cheap, each result is
 * compared with what kafkajs 2.2.4 itself returns for the same call on the same broker (kafkajs is a
 * devDependency): shapes, strings for offsets, kafkajs's enums, errors and their messages.
 */
import * as kafkajs from 'kafkajs';

import { KafkaConsumer, KafkaProducer } from '../../src';
import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  AssignerProtocol,
  ConfigResourceTypes,
  Kafka,
  KafkaJSAggregateError,
  KafkaJSBrokerNotFound,
  KafkaJSCreateTopicError,
  KafkaJSDeleteGroupsError,
  KafkaJSDeleteTopicRecordsError,
  KafkaJSNonRetriableError,
  KafkaJSNotImplemented,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
  ResourcePatternTypes,
  logLevel,
  type Admin,
  type AdminConfig,
} from '../../src/kafkajs';
import { bootstrapServers, createTopic, uniqueTopic, waitFor } from '../helpers';

jest.setTimeout(120_000);

const brokers = (): string[] => bootstrapServers().split(',');

function ours(config?: AdminConfig): Admin {
  return new Kafka({ clientId: 'kjs-admin', brokers: brokers(), logLevel: logLevel.NOTHING }).admin(config);
}

function reference(config?: kafkajs.AdminConfig): kafkajs.Admin {
  return new kafkajs.Kafka({ clientId: 'kjs-admin-ref', brokers: brokers(), logLevel: kafkajs.logLevel.NOTHING }).admin(
    config,
  );
}

/** What a call rejected with (fails the test if it resolved). */
async function rejection(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (err) {
    return err as Error & Record<string, unknown>;
  }
  throw new Error('expected the call to reject');
}

async function produce(topic: string, messages: Array<{ partition: number; value: string }>): Promise<void> {
  const producer = new KafkaProducer({ bootstrapServers: bootstrapServers() });
  try {
    await producer.sendBatch(topic, messages);
  } finally {
    await producer.close();
  }
}

let admin: Admin;
let ref: kafkajs.Admin;

beforeAll(async () => {
  admin = ours();
  await admin.connect();
});

afterAll(async () => {
  await admin?.disconnect();
});

// A fresh kafkajs per test: kafkajs keeps refreshing the metadata of every topic it was asked about, and
// once one of them is deleted (as each test here does at its end) all its later calls fail.
beforeEach(async () => {
  ref = reference();
  await ref.connect();
});

afterEach(async () => {
  await ref?.disconnect();
});

describe('kafka-napi/kafkajs admin', () => {
  test('connect and disconnect emit events; calls work before connect and after disconnect, as kafkajs', async () => {
    const topic = uniqueTopic('kjs-adm-conn');
    await createTopic(topic, 1);
    const client = ours();
    const seen: string[] = [];
    const off = client.on(client.events.CONNECT, (e) => seen.push(e.type));
    client.on(client.events.DISCONNECT, (e) => seen.push(e.type));
    // kafkajs connects lazily: a call before connect() works (and emits nothing).
    expect((await client.describeCluster()).brokers.length).toBeGreaterThan(0);
    await client.connect();
    off();
    await client.connect();
    await client.disconnect();
    expect(seen).toEqual(['admin.connect', 'admin.disconnect']);
    // (__consumer_offsets is no fixture: the broker creates it with the first group.)
    expect(await client.listTopics()).toContain(topic);
    await client.disconnect();
    expect(() => client.on('admin.nope' as never, () => undefined)).toThrow(KafkaJSNonRetriableError);
    expect(typeof client.logger().info).toBe('function');
  });

  test('connect to an unreachable broker rejects with a KafkaJS error', async () => {
    const client = new Kafka({
      brokers: ['127.0.0.1:1'],
      logLevel: logLevel.NOTHING,
      connectionTimeout: 1000,
      retry: { retries: 1, initialRetryTime: 100 },
    }).admin();
    const started = Date.now();
    const err = await rejection(client.connect());
    expect(err.name).toMatch(/^KafkaJS/);
    // Within its own budget (two attempts of connectionTimeout and a backoff), not librdkafka's 60 s
    // socket timeout: bounded by half of that, which a busy machine cannot reach.
    expect(Date.now() - started).toBeLessThan(60_000 / 2);
    await client.disconnect();
  });

  test('createTopics: true when created, false when one exists, aggregate errors otherwise', async () => {
    const topic = uniqueTopic('kjs-adm-create');
    expect(
      await admin.createTopics({
        topics: [{ topic, numPartitions: 3, configEntries: [{ name: 'retention.ms', value: '12345' }] }],
      }),
    ).toBe(true);
    expect(await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] })).toBe(false);
    // One existing, one new: kafkajs creates the new one and resolves false.
    const other = uniqueTopic('kjs-adm-create');
    expect(await admin.createTopics({ topics: [{ topic }, { topic: other, numPartitions: 2 }] })).toBe(false);
    const md = await admin.fetchTopicMetadata({ topics: [other] });
    expect(md.topics[0].partitions).toHaveLength(2);
    // validateOnly creates nothing.
    const dry = uniqueTopic('kjs-adm-dry');
    expect(await admin.createTopics({ validateOnly: true, topics: [{ topic: dry }] })).toBe(true);
    expect(await admin.listTopics()).not.toContain(dry);

    const bad = [uniqueTopic('kjs-adm-bad'), uniqueTopic('kjs-adm-bad')];
    const spec = { topics: bad.map((t) => ({ topic: t, replicationFactor: 100 })) };
    const [mine, theirs] = await Promise.all([rejection(admin.createTopics(spec)), rejection(ref.createTopics(spec))]);
    expect(mine).toBeInstanceOf(KafkaJSAggregateError);
    expect(mine.name).toBe(theirs.name);
    expect(mine.message).toBe(theirs.message);
    const errors = (mine as unknown as KafkaJSAggregateError).errors as KafkaJSCreateTopicError[];
    expect(errors.map((e) => [e.name, e.type, e.code, e.retriable, e.topic]).sort()).toEqual(
      (theirs as unknown as kafkajs.KafkaJSAggregateError).errors
        .map((e) => {
          const c = e as unknown as KafkaJSCreateTopicError;
          return [c.name, c.type, c.code, c.retriable, c.topic];
        })
        .sort(),
    );
    expect(errors[0]).toBeInstanceOf(KafkaJSCreateTopicError);
    expect(errors[0]).toBeInstanceOf(KafkaJSProtocolError);

    await expect(
      admin.createTopics({ topics: [{ topic: dry, replicaAssignment: [{ partition: 0, replicas: [1] }] }] }),
    ).rejects.toThrow(KafkaJSNotImplemented);
    await admin.deleteTopics({ topics: [topic, other] });
  });

  test('bad arguments reject as kafkajs rejects them (class and message)', async () => {
    const calls: Array<[string, (a: Admin | kafkajs.Admin) => Promise<unknown>]> = [
      ['createTopics no array', (a) => a.createTopics({ topics: 'x' as never })],
      ['createTopics name', (a) => a.createTopics({ topics: [{ topic: 1 as never }] })],
      ['createTopics duplicate', (a) => a.createTopics({ topics: [{ topic: 'd' }, { topic: 'd' }] })],
      ['createTopics configEntries', (a) => a.createTopics({ topics: [{ topic: 'd', configEntries: 'x' as never }] })],
      [
        'createTopics entry',
        (a) => a.createTopics({ topics: [{ topic: 'd', configEntries: [{ name: 'n', value: 1 as never }] }] }),
      ],
      ['deleteTopics', (a) => a.deleteTopics({ topics: [1 as never] })],
      ['createPartitions empty', (a) => a.createPartitions({ topicPartitions: [] })],
      [
        'createPartitions dup',
        (a) =>
          a.createPartitions({
            topicPartitions: [
              { topic: 'd', count: 2 },
              { topic: 'd', count: 3 },
            ],
          }),
      ],
      ['fetchTopicMetadata', (a) => a.fetchTopicMetadata({ topics: [''] })],
      ['fetchTopicOffsets', (a) => a.fetchTopicOffsets('')],
      ['fetchTopicOffsetsByTimestamp', (a) => a.fetchTopicOffsetsByTimestamp(undefined as never)],
      ['fetchOffsets groupId', (a) => a.fetchOffsets({ groupId: '' })],
      ['fetchOffsets topics', (a) => a.fetchOffsets({ groupId: 'g', topics: 'x' as never })],
      ['setOffsets partitions', (a) => a.setOffsets({ groupId: 'g', topic: 't', partitions: [] })],
      ['resetOffsets topic', (a) => a.resetOffsets({ groupId: 'g', topic: '', earliest: true })],
      ['describeConfigs empty', (a) => a.describeConfigs({ resources: [], includeSynonyms: false })],
      [
        'describeConfigs type',
        (a) => a.describeConfigs({ resources: [{ type: 3 as never, name: 'x' }], includeSynonyms: false }),
      ],
      [
        'alterConfigs value',
        (a) =>
          a.alterConfigs({
            validateOnly: false,
            resources: [{ type: 2, name: 'x', configEntries: [{ name: 'a', value: 1 as never }] }],
          }),
      ],
      ['deleteGroups', (a) => a.deleteGroups('g' as never)],
      ['deleteTopicRecords topic', (a) => a.deleteTopicRecords({ topic: '', partitions: [] })],
      ['deleteTopicRecords partitions', (a) => a.deleteTopicRecords({ topic: 't', partitions: [] })],
      ['createAcls empty', (a) => a.createAcls({ acl: [] })],
      [
        'createAcls host',
        (a) =>
          a.createAcls({
            acl: [
              {
                resourceType: 2,
                resourceName: 't',
                resourcePatternType: 3,
                principal: 'User:x',
                host: 1 as never,
                operation: 3,
                permissionType: 3,
              },
            ],
          }),
      ],
      [
        'createAcls operation',
        (a) =>
          a.createAcls({
            acl: [
              {
                resourceType: 2,
                resourceName: 't',
                resourcePatternType: 3,
                principal: 'User:x',
                host: '*',
                operation: 42 as never,
                permissionType: 3,
              },
            ],
          }),
      ],
      [
        'describeAcls',
        (a) => a.describeAcls({ resourceType: 1, resourcePatternType: 9 as never, operation: 1, permissionType: 1 }),
      ],
      ['deleteAcls', (a) => a.deleteAcls({ filters: [] })],
    ];
    for (const [what, call] of calls) {
      const [mine, theirs] = await Promise.all([rejection(call(admin)), rejection(call(ref))]);
      expect([what, mine.name, mine.message]).toEqual([what, theirs.name, theirs.message]);
      expect(mine).toBeInstanceOf(KafkaJSNonRetriableError);
    }
  });

  test('listTopics and fetchTopicMetadata match kafkajs', async () => {
    const topic = uniqueTopic('kjs-adm-md');
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] });
    // The broker creates __consumer_offsets with the first group offset: commit one, whatever ran before.
    await ref.setOffsets({ groupId: uniqueTopic('kjs-adm-md-g'), topic, partitions: [{ partition: 0, offset: '0' }] });
    const [mine, theirs] = await Promise.all([admin.listTopics(), ref.listTopics()]);
    for (const t of [topic, '__consumer_offsets']) {
      expect(mine).toContain(t);
      expect(theirs).toContain(t);
    }
    const md = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(md).toEqual(await ref.fetchTopicMetadata({ topics: [topic] }));
    expect(md.topics[0].partitions.map((p) => p.partitionId)).toEqual([0, 1, 2]);
    // Without topics: every topic.
    const all = await admin.fetchTopicMetadata();
    expect(all.topics.find((t) => t.name === topic)).toEqual(md.topics[0]);

    const unknown = `kjs-adm-nope-${topic}`;
    const [err, refErr] = await Promise.all([
      rejection(admin.fetchTopicMetadata({ topics: [unknown] })),
      rejection(ref.fetchTopicMetadata({ topics: [unknown] })),
    ]);
    expect([err.name, err.type, err.code, err.retriable]).toEqual([
      refErr.name,
      refErr.type,
      refErr.code,
      refErr.retriable,
    ]);
    expect(await admin.listTopics()).not.toContain(unknown);
    await admin.deleteTopics({ topics: [topic] });
  });

  test('describeCluster matches kafkajs', async () => {
    expect(await admin.describeCluster()).toEqual(await ref.describeCluster());
  });

  test('fetchTopicOffsets and fetchTopicOffsetsByTimestamp match kafkajs (strings)', async () => {
    const topic = uniqueTopic('kjs-adm-offs');
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] });
    const before = Date.now();
    await produce(topic, [
      { partition: 0, value: 'a' },
      { partition: 0, value: 'b' },
      { partition: 1, value: 'c' },
    ]);
    const offsets = await admin.fetchTopicOffsets(topic);
    expect(offsets).toEqual([
      { partition: 0, offset: '2', high: '2', low: '0' },
      { partition: 1, offset: '1', high: '1', low: '0' },
      { partition: 2, offset: '0', high: '0', low: '0' },
    ]);
    // kafkajs lists the partitions in the order the broker answered.
    const byPartition = <T extends { partition: number }>(list: T[]) =>
      [...list].sort((a, b) => a.partition - b.partition);
    expect(offsets).toEqual(byPartition(await ref.fetchTopicOffsets(topic)));
    for (const ts of [undefined, 0, -1, -2, before - 60_000, Date.now() + 600_000]) {
      expect(await admin.fetchTopicOffsetsByTimestamp(topic, ts)).toEqual(
        byPartition(await ref.fetchTopicOffsetsByTimestamp(topic, ts)),
      );
    }
    expect(await admin.fetchTopicOffsetsByTimestamp(topic, 0)).toEqual([
      { partition: 0, offset: '0' },
      { partition: 1, offset: '0' },
      { partition: 2, offset: '0' },
    ]);

    // An unknown topic is retried, then gives up as kafkajs does.
    const quick = ours({ retry: { retries: 1, initialRetryTime: 50 } });
    const err = await rejection(quick.fetchTopicOffsets(`kjs-adm-nope-${topic}`));
    expect(err).toBeInstanceOf(KafkaJSNumberOfRetriesExceeded);
    expect((err.cause as KafkaJSProtocolError).type).toBe('UNKNOWN_TOPIC_OR_PARTITION');
    await quick.disconnect();
    await admin.deleteTopics({ topics: [topic] });
  });

  test('group offsets: fetchOffsets, setOffsets, resetOffsets, resolveOffsets', async () => {
    const topic = uniqueTopic('kjs-adm-grp');
    const groupId = uniqueTopic('kjs-adm-g');
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }] });
    await produce(topic, [
      { partition: 0, value: 'a' },
      { partition: 0, value: 'b' },
      { partition: 0, value: 'c' },
      { partition: 1, value: 'd' },
    ]);
    // Nothing committed: '-1' per partition, metadata null; without topics, nothing.
    const none = await admin.fetchOffsets({ groupId, topics: [topic] });
    expect(none).toEqual([
      {
        topic,
        partitions: [
          { partition: 0, offset: '-1', metadata: null },
          { partition: 1, offset: '-1', metadata: null },
        ],
      },
    ]);
    expect(none).toEqual(await ref.fetchOffsets({ groupId, topics: [topic] }));
    expect(await admin.fetchOffsets({ groupId })).toEqual([]);

    await admin.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: '2' }] });
    const set = await admin.fetchOffsets({ groupId, topics: [topic] });
    expect(set[0].partitions.map((p) => p.offset)).toEqual(['2', '-1']);
    // kafkajs reads what we committed the same way.
    expect(set).toEqual(await ref.fetchOffsets({ groupId, topics: [topic] }));
    expect(await admin.fetchOffsets({ groupId })).toEqual(await ref.fetchOffsets({ groupId }));
    expect(await admin.fetchOffsets({ groupId })).toEqual([
      { topic, partitions: [{ partition: 0, offset: '2', metadata: null }] },
    ]);

    // -1 / -2: the high watermark / log start offset (kafkajs commits the sentinels themselves).
    await admin.setOffsets({
      groupId,
      topic,
      partitions: [
        { partition: 0, offset: '-1' },
        { partition: 1, offset: '-2' },
      ],
    });
    expect((await admin.fetchOffsets({ groupId, topics: [topic] }))[0].partitions.map((p) => p.offset)).toEqual([
      '3',
      '0',
    ]);
    await admin.resetOffsets({ groupId, topic, earliest: true });
    expect((await admin.fetchOffsets({ groupId, topics: [topic] }))[0].partitions.map((p) => p.offset)).toEqual([
      '0',
      '0',
    ]);
    await admin.resetOffsets({ groupId, topic } as never);
    expect((await admin.fetchOffsets({ groupId, topics: [topic] }))[0].partitions.map((p) => p.offset)).toEqual([
      '3',
      '1',
    ]);

    // resolveOffsets: an uncommitted partition (-1) is committed at its high watermark, as kafkajs does.
    const fresh = uniqueTopic('kjs-adm-g');
    const resolved = await admin.fetchOffsets({ groupId: fresh, topics: [topic], resolveOffsets: true });
    expect(resolved[0].partitions.map((p) => p.offset)).toEqual(['3', '1']);
    expect(await ref.fetchOffsets({ groupId: fresh, topics: [topic] })).toEqual(resolved);

    const err = await rejection(admin.fetchOffsets({ groupId, topics: [`kjs-adm-nope-${topic}`] }));
    expect(err).toBeInstanceOf(KafkaJSProtocolError);
    expect(err.type).toBe('UNKNOWN_TOPIC_OR_PARTITION');
    await admin.deleteGroups([groupId, fresh]);
    await admin.deleteTopics({ topics: [topic] });
  });

  test('groups: describeGroups, listGroups, setOffsets on a running group, deleteGroups', async () => {
    const topic = uniqueTopic('kjs-adm-live');
    const live = uniqueTopic('kjs-adm-live-g');
    const empty = uniqueTopic('kjs-adm-empty-g');
    const missing = uniqueTopic('kjs-adm-missing-g');
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] });
    await admin.setOffsets({ groupId: empty, topic, partitions: [{ partition: 0, offset: '0' }] });
    const consumer = new KafkaConsumer(topic, { bootstrapServers: bootstrapServers(), groupId: live });
    const loop = (async () => {
      for await (const _ of consumer) void _;
    })().catch(() => undefined);
    try {
      await waitFor(
        async () => (await admin.describeGroups([live])).groups[0].state === 'Stable',
        60_000,
        'the group to be stable',
      );
      const { groups } = await admin.describeGroups([live, empty, missing]);
      const theirs = (await ref.describeGroups([live, empty, missing])).groups;
      const byId = (list: typeof theirs, id: string) => list.find((g) => g.groupId === id)!;
      // Everything but the member's raw bytes matches kafkajs (those are rebuilt: see admin.ts).
      const strip = (g: (typeof theirs)[number]) => ({
        ...g,
        members: g.members.map(({ memberAssignment: _a, memberMetadata: _m, ...m }) => m),
      });
      for (const id of [live, empty, missing]) expect(strip(byId(groups, id))).toEqual(strip(byId(theirs, id)));
      expect(byId(groups, live)).toMatchObject({ state: 'Stable', protocolType: 'consumer', protocol: 'range' });
      expect(byId(groups, missing)).toMatchObject({ state: 'Dead', protocolType: '', members: [] });
      const [member] = byId(groups, live).members;
      const [theirMember] = byId(theirs, live).members;
      expect(AssignerProtocol.MemberAssignment.decode(member.memberAssignment)?.assignment).toEqual(
        kafkajs.AssignerProtocol.MemberAssignment.decode(theirMember.memberAssignment)?.assignment,
      );
      expect(AssignerProtocol.MemberMetadata.decode(member.memberMetadata)?.topics).toEqual([topic]);

      const listed = (await admin.listGroups()).groups;
      expect(listed).toContainEqual({ groupId: live, protocolType: 'consumer' });
      expect(listed).toContainEqual({ groupId: empty, protocolType: '' });
      expect((await ref.listGroups()).groups).toContainEqual({ groupId: live, protocolType: 'consumer' });

      const [mine, theirsErr] = await Promise.all([
        rejection(admin.setOffsets({ groupId: live, topic, partitions: [{ partition: 0, offset: '0' }] })),
        rejection(ref.setOffsets({ groupId: live, topic, partitions: [{ partition: 0, offset: '0' }] })),
      ]);
      expect([mine.name, mine.message]).toEqual([theirsErr.name, theirsErr.message]);

      // The running and the missing group fail (reported together), the empty one is deleted.
      const err = await rejection(admin.deleteGroups([live, empty, missing]));
      expect(err).toBeInstanceOf(KafkaJSDeleteGroupsError);
      expect(err.message).toBe('Error in DeleteGroups');
      const failed = (err as unknown as KafkaJSDeleteGroupsError).groups;
      expect(failed.map((g) => [g.groupId, g.errorCode, g.error?.type, g.error?.name])).toEqual([
        [live, 68, 'NON_EMPTY_GROUP', 'KafkaJSProtocolError'],
        [missing, 69, 'GROUP_ID_NOT_FOUND', 'KafkaJSProtocolError'],
      ]);
      const refErr = await rejection(ref.deleteGroups([live]));
      expect(refErr.name).toBe(err.name);
      expect((refErr as unknown as kafkajs.KafkaJSDeleteGroupsError).groups[0]).toMatchObject({
        groupId: live,
        errorCode: 68,
      });
      expect((await admin.describeGroups([empty])).groups[0].state).toBe('Dead');
    } finally {
      await consumer.close();
      await loop;
    }
    expect(await admin.deleteGroups([live])).toEqual([{ groupId: live, errorCode: 0 }]);
    expect(await admin.deleteGroups([])).toEqual([]);
    await admin.deleteTopics({ topics: [topic] });
  });

  test('describeConfigs matches kafkajs; alterConfigs replaces a resource configs as kafkajs does', async () => {
    const topic = uniqueTopic('kjs-adm-cfg');
    await admin.createTopics({
      topics: [{ topic, configEntries: [{ name: 'retention.ms', value: '12345' }] }],
    });
    const query = (includeSynonyms: boolean, configNames?: string[]) => ({
      includeSynonyms,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames }],
    });
    for (const [syn, names] of [
      [false, ['retention.ms', 'cleanup.policy']],
      [true, ['retention.ms', 'cleanup.policy']],
      [false, undefined],
    ] as const) {
      const mine = await admin.describeConfigs(query(syn, names ? [...names] : undefined));
      const theirs = await ref.describeConfigs(query(syn, names ? [...names] : undefined));
      expect(mine.resources).toEqual(theirs.resources);
    }
    const { brokers } = await admin.describeCluster();
    const brokerQuery = {
      includeSynonyms: true,
      resources: [
        { type: ConfigResourceTypes.BROKER, name: String(brokers[0].nodeId), configNames: ['num.io.threads'] },
      ],
    };
    expect((await admin.describeConfigs(brokerQuery)).resources).toEqual(
      (await ref.describeConfigs(brokerQuery)).resources,
    );

    // Replace: cleanup.policy set, retention.ms (set at creation) back to its default.
    const result = await admin.alterConfigs({
      validateOnly: false,
      resources: [
        { type: ConfigResourceTypes.TOPIC, name: topic, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
      ],
    });
    expect(result).toEqual({
      resources: [{ errorCode: 0, errorMessage: null, resourceType: ConfigResourceTypes.TOPIC, resourceName: topic }],
    });
    // The broker applies an alter through its metadata log: a describe right after may see the old state.
    const altered = async (name: string) => {
      const describe = async () =>
        (
          await admin.describeConfigs({
            includeSynonyms: false,
            resources: [{ type: ConfigResourceTypes.TOPIC, name, configNames: ['retention.ms', 'cleanup.policy'] }],
          })
        ).resources[0];
      let described = await describe();
      await waitFor(
        async () => {
          described = await describe();
          return described.configEntries.some((c) => c.configName === 'cleanup.policy' && c.configValue === 'compact');
        },
        10_000,
        `${name} altered`,
      ).catch(() => {});
      return described;
    };
    const after = await altered(topic);
    expect(after.configEntries.map((c) => [c.configName, c.configValue, c.isDefault, c.configSource])).toEqual([
      ['cleanup.policy', 'compact', false, 1],
      ['retention.ms', '604800000', true, 5],
    ]);
    // kafkajs, altering a twin topic the same way, ends in the same state with the same result shape.
    const twin = uniqueTopic('kjs-adm-cfg');
    await admin.createTopics({ topics: [{ topic: twin, configEntries: [{ name: 'retention.ms', value: '12345' }] }] });
    const refResult = await ref.alterConfigs({
      validateOnly: false,
      resources: [
        { type: ConfigResourceTypes.TOPIC, name: twin, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
      ],
    });
    expect(refResult).toEqual({ ...result, resources: [{ ...result.resources[0], resourceName: twin }] });
    const twinAfter = await altered(twin);
    expect(twinAfter.configEntries).toEqual(after.configEntries);

    // validateOnly changes nothing; an invalid config rejects with kafkajs's protocol error.
    await admin.alterConfigs({
      validateOnly: true,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configEntries: [] }],
    });
    expect(
      (await admin.describeConfigs(query(false, ['cleanup.policy']))).resources[0].configEntries[0].configValue,
    ).toBe('compact');
    const invalid = {
      validateOnly: false,
      resources: [
        { type: ConfigResourceTypes.TOPIC, name: topic, configEntries: [{ name: 'no.such.config', value: 'x' }] },
      ],
    };
    const [err, refErr] = await Promise.all([
      rejection(admin.alterConfigs(invalid)),
      rejection(ref.alterConfigs(invalid)),
    ]);
    expect([err.name, err.type, err.code]).toEqual([refErr.name, refErr.type, refErr.code]);

    const unknown = query(false);
    unknown.resources[0].name = `kjs-adm-nope-${topic}`;
    const [e1, e2] = await Promise.all([
      rejection(admin.describeConfigs(unknown)),
      rejection(ref.describeConfigs(unknown)),
    ]);
    expect([e1.name, e1.type]).toEqual([e2.name, e2.type]);
    await expect(
      admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: ConfigResourceTypes.BROKER_LOGGER, name: String(brokers[0].nodeId) }],
      }),
    ).rejects.toThrow(KafkaJSNotImplemented);
    await admin.deleteTopics({ topics: [topic, twin] });
  });

  test('createPartitions and deleteTopicRecords', async () => {
    const topic = uniqueTopic('kjs-adm-parts');
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }] });
    // kafkajs resolves undefined (its declarations say boolean).
    expect(await admin.createPartitions({ topicPartitions: [{ topic, count: 4 }] })).toBeUndefined();
    // The controller accepted the new partitions; the broker's metadata shows them a moment later (in
    // kafkajs too): waited for, the deadline bounds a hang only.
    await waitFor(
      async () => (await admin.fetchTopicMetadata({ topics: [topic] })).topics[0].partitions.length === 4,
      30_000,
      '4 partitions in the metadata',
    );
    const shrink = { topicPartitions: [{ topic, count: 2 }] };
    const [err, refErr] = await Promise.all([
      rejection(admin.createPartitions(shrink)),
      rejection(ref.createPartitions(shrink)),
    ]);
    expect([err.name, err.type, err.code]).toEqual([refErr.name, refErr.type, refErr.code]);
    await expect(
      admin.createPartitions({ topicPartitions: [{ topic, count: 5, assignments: [[1]] }] }),
    ).rejects.toThrow(KafkaJSNotImplemented);

    await produce(topic, [
      { partition: 0, value: 'a' },
      { partition: 0, value: 'b' },
      { partition: 1, value: 'c' },
    ]);
    await admin.deleteTopicRecords({
      topic,
      partitions: [
        { partition: 0, offset: '1' },
        { partition: 1, offset: '-1' },
      ],
    });
    expect((await admin.fetchTopicOffsets(topic)).slice(0, 2)).toEqual([
      { partition: 0, offset: '2', high: '2', low: '1' },
      { partition: 1, offset: '1', high: '1', low: '1' },
    ]);
    const outOfRange = await rejection(
      admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '100' }] }),
    );
    expect(outOfRange).toBeInstanceOf(KafkaJSDeleteTopicRecordsError);
    const failed = (outOfRange as unknown as KafkaJSDeleteTopicRecordsError).partitions;
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ partition: 0, offset: '100' });
    expect((failed[0].error as KafkaJSProtocolError).type).toBe('OFFSET_OUT_OF_RANGE');
    const noPartition = await rejection(
      admin.deleteTopicRecords({ topic, partitions: [{ partition: 9, offset: '0' }] }),
    );
    expect(noPartition).toBeInstanceOf(KafkaJSDeleteTopicRecordsError);
    expect((noPartition as unknown as KafkaJSDeleteTopicRecordsError).partitions[0].error).toBeInstanceOf(
      KafkaJSBrokerNotFound,
    );
    await admin.deleteTopics({ topics: [topic] });
  });

  test('ACLs: kafkajs enums in and out; without an authorizer both reject alike', async () => {
    const topic = uniqueTopic('kjs-adm-acl');
    const acl = {
      resourceType: AclResourceTypes.TOPIC,
      resourceName: topic,
      resourcePatternType: ResourcePatternTypes.LITERAL,
      principal: 'User:kjs-admin-test',
      host: '*',
      operation: AclOperationTypes.READ,
      permissionType: AclPermissionTypes.ALLOW,
    };
    const filter = { ...acl, resourceType: AclResourceTypes.ANY, operation: AclOperationTypes.ANY };
    const refFailed = await ref.createAcls({ acl: [acl] }).then(
      () => undefined,
      (err: Error) => err,
    );
    if (refFailed) {
      // The broker has no authorizer (SECURITY_DISABLED): ours rejects with the same protocol error.
      const err = await rejection(admin.createAcls({ acl: [acl] }));
      expect([err.name, err.type, err.code]).toEqual([
        refFailed.name,
        (refFailed as kafkajs.KafkaJSProtocolError).type,
        (refFailed as kafkajs.KafkaJSProtocolError).code,
      ]);
      const del = await rejection(admin.deleteAcls({ filters: [filter] }));
      expect(del.type).toBe((refFailed as kafkajs.KafkaJSProtocolError).type);
      return;
    }
    await ref.deleteAcls({ filters: [filter] });
    expect(await admin.createAcls({ acl: [acl] })).toBe(true);
    const described = await admin.describeAcls(filter);
    expect(described.resources).toEqual((await ref.describeAcls(filter)).resources);
    expect(described.resources).toEqual([
      {
        resourceType: acl.resourceType,
        resourceName: topic,
        resourcePatternType: acl.resourcePatternType,
        acls: [{ principal: acl.principal, host: '*', operation: acl.operation, permissionType: acl.permissionType }],
      },
    ]);
    const deleted = await admin.deleteAcls({ filters: [filter] });
    expect(deleted.filterResponses[0].matchingAcls).toEqual([
      expect.objectContaining({
        errorCode: 0,
        resourceName: topic,
        principal: acl.principal,
        operation: acl.operation,
      }),
    ]);
  });

  test('deleteTopics: deletes; an unknown topic is retried, then KafkaJSNumberOfRetriesExceeded', async () => {
    const topic = uniqueTopic('kjs-adm-del');
    await admin.createTopics({ topics: [{ topic }] });
    await admin.deleteTopics({ topics: [topic] });
    await waitFor(async () => !(await admin.listTopics()).includes(topic), 30_000, 'the topic to go');
    const quick = ours({ retry: { retries: 1, initialRetryTime: 50 } });
    const err = await rejection(quick.deleteTopics({ topics: [topic] }));
    expect(err).toBeInstanceOf(KafkaJSNumberOfRetriesExceeded);
    expect((err.cause as KafkaJSProtocolError).type).toBe('UNKNOWN_TOPIC_OR_PARTITION');
    await quick.disconnect();
  });

  test('partition reassignments throw KafkaJSNotImplemented', async () => {
    await expect(admin.alterPartitionReassignments({ topics: [] })).rejects.toThrow(KafkaJSNotImplemented);
    await expect(admin.listPartitionReassignments({})).rejects.toThrow(KafkaJSNotImplemented);
  });
});
