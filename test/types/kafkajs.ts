/**
 * Compile-only type tests for kafka-napi/kafkajs (checked by `npm run lint` via tsc --noEmit; never run):
 * typical kafkajs 2.2.4 application code, written as kafkajs users write it, whose only change is the
 * import line. Every public type kafkajs declares is used at least once. Every @ts-expect-error line must
 * fail to compile, or tsc reports the directive as unused.
 *
 * Apart from the second import and the section marked "not declared by kafkajs", this file compiles
 * against kafkajs's own declarations too (the import pointed at 'kafkajs'): it is kafkajs code.
 */
import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  AssignerProtocol,
  CompressionCodecs,
  CompressionTypes,
  ConfigResourceTypes,
  ConfigSource,
  Kafka,
  KafkaJSAggregateError,
  KafkaJSAlterPartitionReassignmentsError,
  KafkaJSBrokerNotFound,
  KafkaJSConnectionError,
  KafkaJSDeleteGroupsError,
  KafkaJSDeleteTopicRecordsError,
  KafkaJSError,
  KafkaJSGroupCoordinatorNotFound,
  KafkaJSLockTimeout,
  KafkaJSMetadataNotLoaded,
  KafkaJSNonRetriableError,
  KafkaJSNotImplemented,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSOffsetOutOfRange,
  KafkaJSPartialMessageError,
  KafkaJSProtocolError,
  KafkaJSRequestTimeoutError,
  KafkaJSSASLAuthenticationError,
  KafkaJSServerDoesNotSupportApiKey,
  KafkaJSStaleTopicMetadataAssignment,
  KafkaJSTimeout,
  KafkaJSTopicMetadataNotLoaded,
  KafkaJSUnsupportedMagicByteInMessageSet,
  logLevel,
  PartitionAssigners,
  Partitioners,
  ResourcePatternTypes,
  type Acl,
  type AclEntry,
  type AclFilter,
  type AclResource,
  type Admin,
  type AdminConfig,
  type AdminEvents,
  type ApiVersions,
  type Assigner,
  type Assignment,
  type AuthenticationProviderArgs,
  type Authenticator,
  type Batch,
  type Broker,
  type BrokerMetadata,
  type BrokersFunction,
  type Cluster,
  type ConfigEntries,
  type ConfigSynonyms,
  type ConnectEvent,
  type Consumer,
  type ConsumerCommitOffsetsEvent,
  type ConsumerConfig,
  type ConsumerCrashEvent,
  type ConsumerEachBatchPayload,
  type ConsumerEachMessagePayload,
  type ConsumerEndBatchProcessEvent,
  type ConsumerEvents,
  type ConsumerFetchEvent,
  type ConsumerFetchStartEvent,
  type ConsumerGroup,
  type ConsumerGroupJoinEvent,
  type ConsumerGroupState,
  type ConsumerHeartbeatEvent,
  type ConsumerRebalancingEvent,
  type ConsumerReceivedUnsubcribedTopicsEvent,
  type ConsumerRunConfig,
  type ConsumerStartBatchProcessEvent,
  type ConsumerSubscribeTopic,
  type ConsumerSubscribeTopics,
  type CoordinatorMetadata,
  type DefaultPartitioner,
  type DeleteAclFilterResponses,
  type DeleteAclResponse,
  type DeleteGroupsResult,
  type DescribeAclResource,
  type DescribeAclResponse,
  type DescribeConfigResponse,
  type DisconnectEvent,
  type EachBatchHandler,
  type EachBatchPayload,
  type EachMessageHandler,
  type EachMessagePayload,
  type FetchOffsetsPartition,
  type GroupDescription,
  type GroupDescriptions,
  type GroupMember,
  type GroupMemberAssignment,
  type GroupOverview,
  type GroupState,
  type IBatchProcessEvent,
  type ICustomPartitioner,
  type IHeaders,
  type IMemberAssignment,
  type InstrumentationEvent,
  type IResourceConfig,
  type IResourceConfigEntry,
  type ISerializer,
  type ISocketFactory,
  type ISocketFactoryArgs,
  type ITopicConfig,
  type ITopicMetadata,
  type ITopicPartitionConfig,
  type KafkaConfig,
  type KafkaJSConnectionErrorMetadata,
  type KafkaJSDeleteGroupsErrorGroups,
  type KafkaJSDeleteTopicRecordsErrorPartition,
  type KafkaJSDeleteTopicRecordsErrorTopic,
  type KafkaJSErrorMetadata,
  type KafkaJSNumberOfRetriesExceededMetadata,
  type KafkaJSOffsetOutOfRangeMetadata,
  type KafkaJSRequestTimeoutErrorMetadata,
  type KafkaJSServerDoesNotSupportApiKeyMetadata,
  type KafkaJSStaleTopicMetadataAssignmentMetadata,
  type KafkaJSTopicMetadataNotLoadedMetadata,
  type KafkaMessage,
  type LegacyPartitioner,
  type ListPartitionReassignmentsResponse,
  type LogEntry,
  type Logger,
  type LoggerEntryContent,
  type logCreator,
  type MatchingAcl,
  type Mechanism,
  type MemberAssignment,
  type MemberDescription,
  type MemberMetadata,
  type Message,
  type MessageSetEntry,
  type OauthbearerProviderResponse,
  type Offsets,
  type OffsetsByTopicPartition,
  type OngoingPartitionReassignment,
  type OngoingTopicReassignment,
  type PartitionAssigner,
  type PartitionerArgs,
  type PartitionMetadata,
  type PartitionOffset,
  type PartitionReassignment,
  type Producer,
  type ProducerBatch,
  type ProducerConfig,
  type ProducerEvents,
  type ProducerRecord,
  type RecordBatchEntry,
  type RecordMetadata,
  type RemoveInstrumentationEventListener,
  type ReplicaAssignment,
  type RequestEvent,
  type RequestQueueSizeEvent,
  type RequestTimeoutEvent,
  type ResourceConfigQuery,
  type RetryOptions,
  type SASLMechanism,
  type SASLMechanismOptions,
  type SASLMechanismOptionsMap,
  type SASLOptions,
  type SaslAuthenticateArgs,
  type SaslAuthenticationRequest,
  type SaslAuthenticationResponse,
  type SeekEntry,
  type Sender,
  type TopicMessages,
  type TopicOffsets,
  type TopicPartition,
  type TopicPartitionOffset,
  type TopicPartitionOffsetAndMetadata,
  type TopicPartitions,
  type Transaction,
  type ValueOf,
  type Without,
  type XOR,
} from '../../src/kafkajs';
// Classes kafkajs exports at run time without declaring them in its types.
import {
  KafkaJSConnectionClosedError,
  KafkaJSCreateTopicError,
  KafkaJSFetcherRebalanceError,
  KafkaJSInvalidLongError,
  KafkaJSInvalidVarIntError,
  KafkaJSInvariantViolation,
  KafkaJSMemberIdRequired,
  KafkaJSNoBrokerAvailableError,
} from '../../src/kafkajs';

// ------------------------------------------------------------------------------------------------ config

const brokers: BrokersFunction = async () => ['kafka-1:9092', 'kafka-2:9092'];

const jsonLogger: logCreator = (level: logLevel) => (entry: LogEntry) => {
  const { timestamp, message, ...extra }: LoggerEntryContent = entry.log;
  if (entry.level <= level) console.log(entry.namespace, entry.label, timestamp, message, extra);
};

const retry: RetryOptions = { initialRetryTime: 100, retries: 8, maxRetryTime: 30_000, factor: 0.2, multiplier: 2 };

const plain: SASLOptions = { mechanism: 'plain', username: 'u', password: 'p' };
const scram: SASLOptions = { mechanism: 'scram-sha-512', username: 'u', password: 'p' };
const token = async (): Promise<OauthbearerProviderResponse> => ({ value: 'jwt' });
const oauth: SASLMechanismOptions<'oauthbearer'> = { mechanism: 'oauthbearer', oauthBearerProvider: token };
const aws: SASLMechanismOptionsMap['aws'] = { authorizationIdentity: 'id', accessKeyId: 'a', secretAccessKey: 's' };
const mechanisms: SASLMechanism[] = ['plain', 'scram-sha-256', 'scram-sha-512', 'aws', 'oauthbearer'];

// A custom SASL mechanism, as kafkajs lets applications plug in.
const request: SaslAuthenticationRequest = { encode: () => Buffer.from('\u0000user\u0000pass') };
const response: SaslAuthenticationResponse<{ ok: boolean }> = {
  decode: (raw) => raw,
  parse: (data) => ({ ok: data.length >= 0 }),
};
const custom: Mechanism = {
  mechanism: 'CUSTOM',
  authenticationProvider: ({ host, port, logger, saslAuthenticate }: AuthenticationProviderArgs): Authenticator => ({
    authenticate: async () => {
      const args: SaslAuthenticateArgs<{ ok: boolean }> = { request, response };
      const result = await saslAuthenticate(args);
      logger.info('authenticated', { host, port, result });
    },
  }),
};

const socketFactory: ISocketFactory = ({ host, port, ssl, onConnect }: ISocketFactoryArgs) => {
  void [host, port, ssl, onConnect];
  return undefined as never;
};

const config: KafkaConfig = {
  clientId: 'my-app',
  brokers,
  ssl: { rejectUnauthorized: true, ca: ['-----BEGIN CERTIFICATE-----'] },
  sasl: plain,
  connectionTimeout: 3000,
  authenticationTimeout: 10_000,
  reauthenticationThreshold: 10_000,
  requestTimeout: 25_000,
  enforceRequestTimeout: true,
  retry,
  logLevel: logLevel.WARN,
  logCreator: jsonLogger,
};

export const kafka = new Kafka(config);
export const variants: KafkaConfig[] = [
  { brokers: ['localhost:9092'] },
  { brokers: ['localhost:9092'], ssl: true, sasl: scram },
  { brokers: ['localhost:9092'], sasl: oauth },
  { brokers: ['localhost:9092'], sasl: { mechanism: 'aws', ...aws } },
  { brokers: ['localhost:9092'], sasl: custom, socketFactory },
];
export const levels = [logLevel.NOTHING, logLevel.ERROR, logLevel.WARN, logLevel.INFO, logLevel.DEBUG];
void mechanisms;

// @ts-expect-error brokers are required
new Kafka({ clientId: 'x' });

// ------------------------------------------------------------------------------------------------ producer

// A custom partitioner: by a header, else the default's choice.
const byTenant: ICustomPartitioner = () => {
  const fallback = Partitioners.DefaultPartitioner();
  return (args: PartitionerArgs) => {
    const tenant = args.message.headers?.tenant;
    const live: PartitionMetadata[] = args.partitionMetadata.filter((p) => p.leader >= 0 && p.isr.length > 0);
    return typeof tenant === 'string' ? tenant.length % live.length : fallback(args);
  };
};
const defaultPartitioner: DefaultPartitioner = Partitioners.DefaultPartitioner;
const legacyPartitioner: LegacyPartitioner = Partitioners.LegacyPartitioner;

export async function produce(): Promise<void> {
  const producerConfig: ProducerConfig = {
    createPartitioner: byTenant,
    allowAutoTopicCreation: false,
    idempotent: true,
    maxInFlightRequests: 1,
    metadataMaxAge: 60_000,
    retry: { retries: 5 },
  };
  const producer: Producer = kafka.producer(producerConfig);
  kafka.producer({ createPartitioner: Partitioners.LegacyPartitioner });
  kafka.producer({ createPartitioner: Partitioners.JavaCompatiblePartitioner });
  kafka.producer({ createPartitioner: defaultPartitioner });
  kafka.producer({ createPartitioner: legacyPartitioner });

  const events: ProducerEvents = producer.events;
  const removeConnect: RemoveInstrumentationEventListener<typeof events.CONNECT> = producer.on(
    events.CONNECT,
    (e: ConnectEvent) => console.log('connected', e.id, e.timestamp),
  );
  producer.on(producer.events.DISCONNECT, (e: DisconnectEvent) => console.log(e.type, e.payload));
  producer.on(producer.events.REQUEST, (e: RequestEvent) => console.log(e.payload.apiName, e.payload.duration));
  producer.on(producer.events.REQUEST_TIMEOUT, (e: RequestTimeoutEvent) => console.log(e.payload.broker));
  producer.on(producer.events.REQUEST_QUEUE_SIZE, (e: RequestQueueSizeEvent) => console.log(e.payload.queueSize));
  const anyProducerEvent: ValueOf<ProducerEvents> = 'producer.connect';
  producer.on(anyProducerEvent, (e: InstrumentationEvent<unknown>) => console.log(e.payload));
  removeConnect();

  await producer.connect();
  const headers: IHeaders = {
    'correlation-id': '2bfb68bb',
    tenant: Buffer.from('acme'),
    tags: ['a', Buffer.from('b')],
  };
  const message: Message = { key: 'key1', value: JSON.stringify({ id: 1 }), headers, timestamp: String(Date.now()) };
  const record: ProducerRecord = {
    topic: 'orders',
    messages: [message, { value: null }, { key: Buffer.from('k'), value: Buffer.from('v'), partition: 0 }],
    acks: -1,
    timeout: 30_000,
    compression: CompressionTypes.GZIP,
  };
  const sent: RecordMetadata[] = await producer.send(record);
  for (const r of sent) console.log(r.topicName, r.partition, r.errorCode, r.baseOffset, r.logAppendTime);

  const topicMessages: TopicMessages[] = [
    { topic: 'orders', messages: [{ key: 'a', value: '1' }] },
    { topic: 'audit', messages: [{ value: 'created' }] },
  ];
  const batch: ProducerBatch = { topicMessages, acks: 1, compression: CompressionTypes.ZSTD };
  await producer.sendBatch(batch);
  await producer.send({ topic: 'x', messages: [{ value: 'v' }], compression: CompressionTypes.Snappy });
  await producer.send({ topic: 'x', messages: [{ value: 'v' }], compression: CompressionTypes.LZ4 });
  await producer.send({ topic: 'x', messages: [{ value: 'v' }], compression: CompressionTypes.None });
  console.log(producer.isIdempotent(), producer.logger());

  // @ts-expect-error messages need a value
  await producer.send({ topic: 'x', messages: [{ key: 'k' }] });
  // @ts-expect-error a topic is required
  await producer.send({ messages: [] });

  await producer.disconnect();
}

// What kafkajs programs do to get Snappy: accepted, unused (librdkafka compresses itself).
const snappyCodec = () => ({
  compress: async (encoder: { buffer: Buffer }) => encoder.buffer,
  decompress: async (buffer: Buffer) => buffer,
});
CompressionCodecs[CompressionTypes.Snappy] = snappyCodec;

// Exactly-once: consume, produce and commit the offsets in one transaction.
export async function transactional(): Promise<void> {
  const producer = kafka.producer({ transactionalId: 'orders-tx', maxInFlightRequests: 1, idempotent: true });
  await producer.connect();
  const transaction: Transaction = await producer.transaction();
  try {
    const sender: Sender = transaction;
    await sender.send({ topic: 'out', messages: [{ key: 'k', value: 'v' }] });
    await transaction.sendBatch({ topicMessages: [{ topic: 'out', messages: [{ value: 'v2' }] }] });
    const partitions: PartitionOffset[] = [{ partition: 0, offset: '42' }];
    const topics: TopicOffsets[] = [{ topic: 'in', partitions }];
    const offsets: Offsets = { topics };
    await transaction.sendOffsets({ consumerGroupId: 'group', ...offsets });
    if (transaction.isActive()) await transaction.commit();
  } catch (e) {
    await transaction.abort();
    throw e;
  } finally {
    await producer.disconnect();
  }
}

// ------------------------------------------------------------------------------------------------ consumer

export async function consume(): Promise<void> {
  const consumerConfig: ConsumerConfig = {
    groupId: 'group',
    partitionAssigners: [PartitionAssigners.roundRobin],
    sessionTimeout: 30_000,
    rebalanceTimeout: 60_000,
    heartbeatInterval: 3000,
    maxBytesPerPartition: 1_048_576,
    minBytes: 1,
    maxBytes: 10_485_760,
    maxWaitTimeInMs: 5000,
    readUncommitted: false,
    allowAutoTopicCreation: false,
    maxInFlightRequests: 5,
    metadataMaxAge: 300_000,
    rackId: 'eu-west-1a',
    retry: { retries: 10, restartOnFailure: async (err: Error) => !(err instanceof KafkaJSNonRetriableError) },
  };
  const consumer: Consumer = kafka.consumer(consumerConfig);
  await consumer.connect();
  const subscription: ConsumerSubscribeTopics = { topics: ['orders', /^audit-.*/], fromBeginning: true };
  await consumer.subscribe(subscription);
  const legacy: ConsumerSubscribeTopic = { topic: 'legacy', fromBeginning: false };
  await consumer.subscribe(legacy);

  const eachMessage: EachMessageHandler = async (payload: EachMessagePayload) => {
    const { topic, partition, message, heartbeat, pause } = payload;
    const m: KafkaMessage = message;
    console.log(topic, partition, m.offset, m.timestamp, m.key?.toString(), m.value?.toString(), m.headers);
    if (m.headers?.['retry'] !== undefined) {
      const resume = pause();
      setTimeout(resume, 1000);
    }
    await heartbeat();
  };
  const runConfig: ConsumerRunConfig = {
    autoCommit: true,
    autoCommitInterval: 5000,
    autoCommitThreshold: 100,
    partitionsConsumedConcurrently: 3,
    eachMessage,
  };
  await consumer.run(runConfig);

  const eachBatch: EachBatchHandler = async (payload: EachBatchPayload) => {
    const { batch, resolveOffset, heartbeat, pause, commitOffsetsIfNecessary, uncommittedOffsets, isRunning, isStale } =
      payload;
    const b: Batch = batch;
    console.log(b.topic, b.partition, b.highWatermark, b.isEmpty(), b.firstOffset(), b.lastOffset());
    console.log(b.offsetLag(), b.offsetLagLow());
    for (const message of b.messages) {
      if (!isRunning() || isStale()) break;
      resolveOffset(message.offset);
      await heartbeat();
    }
    const pending: OffsetsByTopicPartition = uncommittedOffsets();
    await commitOffsetsIfNecessary(pending);
    await commitOffsetsIfNecessary();
    if (b.messages.length === 0) pause();
  };
  await consumer.run({ eachBatch, eachBatchAutoResolve: false, autoCommit: false });
  await consumer.run({
    eachMessage: async (payload: ConsumerEachMessagePayload) => console.log(payload.message.offset),
  });
  await consumer.run({
    eachBatch: async ({ batch }: ConsumerEachBatchPayload) => console.log(batch.messages.length),
  });
  await consumer.run({ eachMessage: async ({ message }) => console.log(message.value) });
  await consumer.run();

  const tp: TopicPartition = { topic: 'orders', partition: 0 };
  const tpo: TopicPartitionOffset = { ...tp, offset: '100' };
  const withMetadata: TopicPartitionOffsetAndMetadata = { ...tpo, metadata: 'checkpoint' };
  await consumer.commitOffsets([withMetadata, { topic: 'orders', partition: 1, offset: '7' }]);
  consumer.seek(tpo);
  consumer.pause([{ topic: 'orders' }, { topic: 'audit', partitions: [0, 1] }]);
  const paused: TopicPartitions[] = consumer.paused();
  consumer.resume(paused);

  const description: GroupDescription = await consumer.describeGroup();
  const state: ConsumerGroupState = description.state;
  for (const member of description.members) {
    const m: MemberDescription = member;
    const assignment = AssignerProtocol.MemberAssignment.decode(m.memberAssignment);
    const metadata = AssignerProtocol.MemberMetadata.decode(m.memberMetadata);
    console.log(state, m.clientId, m.clientHost, assignment?.assignment, metadata?.topics);
  }

  const events: ConsumerEvents = consumer.events;
  consumer.on(events.HEARTBEAT, (e: ConsumerHeartbeatEvent) => console.log(e.payload.groupGenerationId));
  consumer.on(events.COMMIT_OFFSETS, (e: ConsumerCommitOffsetsEvent) => console.log(e.payload.topics));
  consumer.on(events.GROUP_JOIN, (e: ConsumerGroupJoinEvent) => {
    const assigned: IMemberAssignment = e.payload.memberAssignment;
    console.log(e.payload.isLeader, e.payload.duration, assigned);
  });
  consumer.on(events.FETCH_START, (e: ConsumerFetchStartEvent) => console.log(e.payload.nodeId));
  consumer.on(events.FETCH, (e: ConsumerFetchEvent) => console.log(e.payload.numberOfBatches));
  consumer.on(events.START_BATCH_PROCESS, (e: ConsumerStartBatchProcessEvent) => {
    const batchInfo: IBatchProcessEvent = e.payload;
    console.log(batchInfo.offsetLag, batchInfo.batchSize);
  });
  consumer.on(events.END_BATCH_PROCESS, (e: ConsumerEndBatchProcessEvent) => console.log(e.payload.duration));
  consumer.on(events.CONNECT, (e: ConnectEvent) => console.log(e.id));
  consumer.on(events.DISCONNECT, (e: DisconnectEvent) => console.log(e.id));
  consumer.on(events.STOP, (e: InstrumentationEvent<null>) => console.log(e.id));
  consumer.on(events.CRASH, (e: ConsumerCrashEvent) => console.error(e.payload.error, e.payload.restart));
  consumer.on(events.REBALANCING, (e: ConsumerRebalancingEvent) => console.log(e.payload.memberId));
  consumer.on(events.RECEIVED_UNSUBSCRIBED_TOPICS, (e: ConsumerReceivedUnsubcribedTopicsEvent) =>
    console.log(e.payload.topicsNotSubscribed),
  );
  consumer.on(events.REQUEST, (e: RequestEvent) => console.log(e.payload.size));
  consumer.on(events.REQUEST_TIMEOUT, (e: RequestTimeoutEvent) => console.log(e.payload.correlationId));
  consumer.on(events.REQUEST_QUEUE_SIZE, (e: RequestQueueSizeEvent) => console.log(e.payload.clientId));
  // The payload's type follows from the event name.
  consumer.on(consumer.events.CRASH, async ({ payload }) => console.error(payload.groupId, payload.error.message));
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => console.log(payload.groupProtocol, payload.leaderId));

  await consumer.stop();
  await consumer.disconnect();

  // @ts-expect-error a consumer needs a groupId
  kafka.consumer({});
  // @ts-expect-error offsets are strings
  consumer.seek({ topic: 'orders', partition: 0, offset: 5 });
}

// A hand-written assigner, the way kafkajs documents it (librdkafka assigns in C: kafka-napi's consumer
// rejects it when configured, but the code and its types are kafkajs's).
export const everythingToOne: PartitionAssigner = ({ cluster, groupId, logger }) => {
  const assigner: Assigner = {
    name: 'EverythingToOne',
    version: 1,
    async assign({ members, topics }: { members: GroupMember[]; topics: string[] }) {
      const assignment: Assignment = {};
      for (const topic of topics) {
        assignment[topic] = cluster.findTopicPartitionMetadata(topic).map((p) => p.partitionId);
      }
      const first = members.map((m) => m.memberId).sort()[0];
      logger.info('assigning', { groupId, first });
      const result: GroupMemberAssignment[] = members.map(({ memberId }) => ({
        memberId,
        memberAssignment: AssignerProtocol.MemberAssignment.encode({
          version: this.version,
          assignment: memberId === first ? assignment : {},
          userData: Buffer.alloc(0),
        }),
      }));
      return result;
    },
    protocol({ topics }: { topics: string[] }): GroupState {
      const metadata: MemberMetadata = { version: 1, topics, userData: Buffer.from('v1') };
      return { name: 'EverythingToOne', metadata: AssignerProtocol.MemberMetadata.encode(metadata) };
    },
  };
  return assigner;
};

const assignmentSerializer: ISerializer<MemberAssignment> = AssignerProtocol.MemberAssignment;

// ------------------------------------------------------------------------------------------------ admin

export async function administer(): Promise<void> {
  const adminConfig: AdminConfig = { retry: { retries: 3 } };
  const admin: Admin = kafka.admin(adminConfig);
  await admin.connect();

  const events: AdminEvents = admin.events;
  admin.on(events.CONNECT, (e: ConnectEvent) => console.log(e.type));
  admin.on(events.DISCONNECT, (e: DisconnectEvent) => console.log(e.type));
  admin.on(events.REQUEST, (e: RequestEvent) => console.log(e.payload.apiKey));
  admin.on(events.REQUEST_TIMEOUT, (e: RequestTimeoutEvent) => console.log(e.payload.pendingDuration));
  admin.on(events.REQUEST_QUEUE_SIZE, (e: RequestQueueSizeEvent) => console.log(e.payload.queueSize));

  const topics: string[] = await admin.listTopics();
  const configEntries: IResourceConfigEntry[] = [{ name: 'cleanup.policy', value: 'compact' }];
  const replicaAssignment: ReplicaAssignment[] = [{ partition: 0, replicas: [1, 2] }];
  const topicConfigs: ITopicConfig[] = [
    { topic: 'orders', numPartitions: 6, replicationFactor: 3, configEntries },
    { topic: 'pinned', replicaAssignment },
  ];
  const created: boolean = await admin.createTopics({ topics: topicConfigs, waitForLeaders: true, timeout: 5000 });
  await admin.createTopics({ topics: [{ topic: 'checked' }], validateOnly: true });
  const more: ITopicPartitionConfig[] = [
    { topic: 'orders', count: 12 },
    { topic: 'pinned', count: 2, assignments: [[1]] },
  ];
  await admin.createPartitions({ topicPartitions: more, validateOnly: false, timeout: 5000 });
  await admin.deleteTopics({ topics: ['old'], timeout: 5000 });

  const { topics: metadata } = await admin.fetchTopicMetadata({ topics: ['orders'] });
  const first: ITopicMetadata = metadata[0];
  await admin.fetchTopicMetadata();
  console.log(topics, created, first.name, first.partitions[0].offlineReplicas);

  const groupOffsets = await admin.fetchOffsets({ groupId: 'group', topics: ['orders'], resolveOffsets: true });
  for (const { topic, partitions } of groupOffsets) {
    const p: FetchOffsetsPartition = partitions[0];
    console.log(topic, p.partition, p.offset, p.metadata);
  }
  const watermarks = await admin.fetchTopicOffsets('orders');
  for (const w of watermarks) console.log(w.partition, w.offset, w.high, w.low);
  const atTime: SeekEntry[] = await admin.fetchTopicOffsetsByTimestamp('orders', Date.now() - 3_600_000);
  await admin.setOffsets({ groupId: 'group', topic: 'orders', partitions: atTime });
  await admin.resetOffsets({ groupId: 'group', topic: 'orders', earliest: true });

  const cluster = await admin.describeCluster();
  console.log(
    cluster.clusterId,
    cluster.controller,
    cluster.brokers.map((b) => `${b.host}:${b.port}`),
  );

  const queries: ResourceConfigQuery[] = [
    { type: ConfigResourceTypes.TOPIC, name: 'orders', configNames: ['retention.ms'] },
    { type: ConfigResourceTypes.BROKER, name: '1' },
  ];
  const described: DescribeConfigResponse = await admin.describeConfigs({ resources: queries, includeSynonyms: true });
  for (const resource of described.resources) {
    for (const entry of resource.configEntries) {
      const e: ConfigEntries = entry;
      const synonyms: ConfigSynonyms[] = e.configSynonyms;
      if (e.configSource === ConfigSource.TOPIC_CONFIG) console.log(e.configName, e.configValue, synonyms.length);
    }
  }
  const alter: IResourceConfig[] = [{ type: ConfigResourceTypes.TOPIC, name: 'orders', configEntries }];
  await admin.alterConfigs({ validateOnly: false, resources: alter });

  const { groups } = await admin.listGroups();
  const overview: GroupOverview = groups[0];
  const deleted: DeleteGroupsResult[] = await admin.deleteGroups([overview.groupId]);
  for (const d of deleted) if (d.error instanceof KafkaJSProtocolError) console.log(d.groupId, d.error.type);
  const descriptions: GroupDescriptions = await admin.describeGroups(['group']);
  console.log(descriptions.groups[0].protocol, descriptions.groups[0].protocolType);

  const filter: AclFilter = {
    resourceType: AclResourceTypes.TOPIC,
    resourceName: 'orders',
    resourcePatternType: ResourcePatternTypes.LITERAL,
    principal: 'User:alice',
    host: '*',
    operation: AclOperationTypes.ANY,
    permissionType: AclPermissionTypes.ANY,
  };
  const acls: DescribeAclResponse = await admin.describeAcls(filter);
  for (const resource of acls.resources) {
    const r: DescribeAclResource = resource;
    const asResource: AclResource = r;
    const entries: Acl[] = r.acls;
    console.log(
      asResource.resourceName,
      entries.map((a) => a.principal),
    );
  }
  const acl: AclEntry = {
    resourceType: AclResourceTypes.GROUP,
    resourceName: 'group',
    resourcePatternType: ResourcePatternTypes.PREFIXED,
    principal: 'User:bob',
    host: '*',
    operation: AclOperationTypes.READ,
    permissionType: AclPermissionTypes.ALLOW,
  };
  await admin.createAcls({ acl: [acl] });
  const removed: DeleteAclResponse = await admin.deleteAcls({ filters: [filter] });
  for (const f of removed.filterResponses) {
    const response: DeleteAclFilterResponses = f;
    const matching: MatchingAcl[] = response.matchingAcls;
    console.log(response.errorCode, matching.length);
  }

  await admin.deleteTopicRecords({ topic: 'orders', partitions: [{ partition: 0, offset: '-1' }] });
  const moves: PartitionReassignment[] = [{ topic: 'orders', partitionAssignment: replicaAssignment }];
  await admin.alterPartitionReassignments({ topics: moves, timeout: 5000 });
  const ongoing: ListPartitionReassignmentsResponse = await admin.listPartitionReassignments({
    topics: [{ topic: 'orders', partitions: [0] }],
  });
  for (const t of ongoing.topics) {
    const topic: OngoingTopicReassignment = t;
    const partition: OngoingPartitionReassignment = topic.partitions[0];
    console.log(partition.partitionIndex, partition.addingReplicas, partition.removingReplicas);
  }

  const log: Logger = admin.logger();
  log.info('done', { topics: topics.length });
  log.namespace('admin', logLevel.DEBUG).debug('detail');
  await admin.disconnect();
}

// Most programs never name the client types: what kafka.producer()/consumer()/admin() return is used as is,
// and listeners take their event's type from the event name.
export async function unannotated(): Promise<void> {
  const producer = kafka.producer();
  const consumer = kafka.consumer({ groupId: 'g' });
  const admin = kafka.admin();
  const clients: [Producer, Consumer, Admin] = [producer, consumer, admin];
  producer.on(producer.events.REQUEST, (e) => console.log(e.payload.apiName, e.payload.duration));
  producer.on(producer.events.CONNECT, (e) => console.log(e.id, e.timestamp));
  consumer.on(consumer.events.CRASH, (e) => console.error(e.payload.error.message, e.payload.restart));
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => console.log(payload.memberAssignment, payload.isLeader));
  consumer.on(consumer.events.COMMIT_OFFSETS, ({ payload }) => console.log(payload.topics[0].partitions));
  admin.on(admin.events.DISCONNECT, (e) => console.log(e.type));
  const remove = consumer.on(consumer.events.HEARTBEAT, ({ payload }) => console.log(payload.memberId));
  remove();
  await consumer.run({
    eachBatch: async ({ batch, resolveOffset }) => {
      for (const m of batch.messages) resolveOffset(m.offset);
    },
  });
  const transaction = await producer.transaction();
  const sent = await transaction.send({ topic: 't', messages: [{ value: 'v' }] });
  console.log(clients.length, sent[0].baseOffset);
}

// ------------------------------------------------------------------------------------------------ errors

export async function handleErrors(producer: Producer): Promise<void> {
  try {
    await producer.send({ topic: 'orders', messages: [{ value: 'v' }] });
  } catch (e) {
    if (e instanceof KafkaJSNumberOfRetriesExceeded) {
      console.error(e.retryCount, e.retryTime, e.cause, e.stack);
    } else if (e instanceof KafkaJSOffsetOutOfRange) {
      console.error(e.topic, e.partition, e.type, e.code);
    } else if (e instanceof KafkaJSProtocolError) {
      if (e.type === 'UNKNOWN_TOPIC_OR_PARTITION' || e.code === 3) console.error(e.retriable, e.helpUrl);
    } else if (e instanceof KafkaJSConnectionError) {
      console.error(e.broker);
    } else if (e instanceof KafkaJSRequestTimeoutError) {
      console.error(e.broker, e.correlationId, e.createdAt, e.sentAt, e.pendingDuration);
    } else if (e instanceof KafkaJSServerDoesNotSupportApiKey) {
      console.error(e.apiKey, e.apiName);
    } else if (e instanceof KafkaJSTopicMetadataNotLoaded) {
      console.error(e.topic);
    } else if (e instanceof KafkaJSStaleTopicMetadataAssignment) {
      console.error(e.topic, e.unknownPartitions);
    } else if (e instanceof KafkaJSDeleteGroupsError) {
      console.error(e.groups.map((g) => g.groupId));
    } else if (e instanceof KafkaJSAlterPartitionReassignmentsError) {
      console.error(e.topic, e.partition);
    } else if (e instanceof KafkaJSAggregateError) {
      console.error(e.errors.length);
    } else if (
      e instanceof KafkaJSSASLAuthenticationError ||
      e instanceof KafkaJSNotImplemented ||
      e instanceof KafkaJSLockTimeout ||
      e instanceof KafkaJSTimeout ||
      e instanceof KafkaJSGroupCoordinatorNotFound ||
      e instanceof KafkaJSBrokerNotFound ||
      e instanceof KafkaJSPartialMessageError ||
      e instanceof KafkaJSMetadataNotLoaded ||
      e instanceof KafkaJSUnsupportedMagicByteInMessageSet ||
      e instanceof KafkaJSDeleteTopicRecordsError ||
      e instanceof KafkaJSNonRetriableError
    ) {
      console.error(e.name, e.message, e.retriable);
    } else if (e instanceof KafkaJSError) {
      if (e.retriable) console.warn('retry later', e.message);
    } else {
      throw e;
    }
  }
}

// Errors as applications and libraries on top of kafkajs construct them (tests, wrappers).
const errorMetadata: KafkaJSErrorMetadata = { retriable: false, topic: 't', partitionId: 0 };
const offsetMetadata: KafkaJSOffsetOutOfRangeMetadata = { topic: 't', partition: 0 };
const retriesMetadata: KafkaJSNumberOfRetriesExceededMetadata = { retryCount: 5, retryTime: 3000 };
const connectionMetadata: KafkaJSConnectionErrorMetadata = { broker: 'kafka-1:9092', code: 'ECONNREFUSED' };
const timeoutMetadata: KafkaJSRequestTimeoutErrorMetadata = {
  broker: 'kafka-1:9092',
  clientId: 'my-app',
  correlationId: 1,
  createdAt: 0,
  sentAt: 1,
  pendingDuration: 1,
};
const topicMetadata: KafkaJSTopicMetadataNotLoadedMetadata = { topic: 't' };
const staleMetadata: KafkaJSStaleTopicMetadataAssignmentMetadata = { topic: 't', unknownPartitions: [] };
const apiKeyMetadata: KafkaJSServerDoesNotSupportApiKeyMetadata = { apiKey: 18, apiName: 'ApiVersions' };
const groupErrors: KafkaJSDeleteGroupsErrorGroups[] = [
  { groupId: 'g', errorCode: 69, error: new KafkaJSError('group not found') },
];
const recordErrors: KafkaJSDeleteTopicRecordsErrorPartition[] = [
  { partition: 0, offset: '10', error: new KafkaJSError('x') },
];
const deleteRecords: KafkaJSDeleteTopicRecordsErrorTopic = { topic: 't', partitions: recordErrors };

export const constructed: Error[] = [
  new KafkaJSError('message', errorMetadata),
  new KafkaJSError(new Error('wrapped')),
  new KafkaJSNonRetriableError('message'),
  new KafkaJSProtocolError('message'),
  new KafkaJSOffsetOutOfRange('message', offsetMetadata),
  new KafkaJSNumberOfRetriesExceeded(new Error('last'), retriesMetadata),
  new KafkaJSConnectionError('message', connectionMetadata),
  new KafkaJSRequestTimeoutError('message', timeoutMetadata),
  new KafkaJSTopicMetadataNotLoaded('message', topicMetadata),
  new KafkaJSStaleTopicMetadataAssignment('message', staleMetadata),
  new KafkaJSServerDoesNotSupportApiKey('message', apiKeyMetadata),
  new KafkaJSDeleteGroupsError('message', groupErrors),
  new KafkaJSDeleteTopicRecordsError(deleteRecords),
  new KafkaJSAlterPartitionReassignmentsError('message', 't', 0),
  new KafkaJSAggregateError('several', [new Error('a'), 'b']),
  new KafkaJSMetadataNotLoaded(),
  new KafkaJSBrokerNotFound(),
  new KafkaJSPartialMessageError(),
  new KafkaJSSASLAuthenticationError(),
  new KafkaJSGroupCoordinatorNotFound(),
  new KafkaJSNotImplemented(),
  new KafkaJSTimeout(),
  new KafkaJSLockTimeout(),
  new KafkaJSUnsupportedMagicByteInMessageSet(),
];

// ------------------------------------------------------------------------------------------------ the rest

// Types kafkajs declares for its internals, which applications meet in assigners, tests and mocks.
export function internals(cluster: Cluster, broker: Broker, group: ConsumerGroup): void {
  const brokerMetadata: Promise<BrokerMetadata> = cluster.metadata();
  const coordinator: Promise<CoordinatorMetadata> = cluster.findGroupCoordinatorMetadata({ groupId: group.groupId });
  const versions: Promise<ApiVersions> = broker.apiVersions();
  const byTimestamp: XOR<{ fromBeginning: boolean }, { fromTimestamp: number }> = { fromTimestamp: 0 };
  const notBoth: Without<{ a: 1 }, { b: 1 }> = {};
  void cluster.fetchTopicsOffset([{ topic: 't', partitions: [{ partition: 0 }], ...byTimestamp }]);
  void cluster.fetchTopicsOffset([{ topic: 't', partitions: [{ partition: 0 }], fromBeginning: true }]);
  console.log(brokerMetadata, coordinator, versions, group.coordinator === broker, group.memberId, notBoth);
}

export function messages(entry: MessageSetEntry, record: RecordBatchEntry): KafkaMessage[] {
  return [entry, record];
}

export const types = { assignmentSerializer, aws };

// ------------------------------------------------------------------------------------------------ not declared by kafkajs
// kafkajs exports these classes at run time without declaring them; kafka-napi/kafkajs declares them.
export function undeclared(e: unknown): Error[] {
  if (e instanceof KafkaJSMemberIdRequired) console.log(e.memberId, e.type);
  if (e instanceof KafkaJSConnectionClosedError) console.log(e.host, e.port, e.broker);
  if (e instanceof KafkaJSCreateTopicError) console.log(e.topic, e.type, e.code);
  if (e instanceof KafkaJSFetcherRebalanceError) console.log(e.message);
  return [
    new KafkaJSConnectionClosedError('Connection closed by the server', { host: 'kafka-1', port: 9092 }),
    new KafkaJSCreateTopicError('Topic with this name already exists', 'orders'),
    new KafkaJSInvalidLongError('bad long'),
    new KafkaJSInvalidVarIntError('bad varint'),
    new KafkaJSInvariantViolation('x must be y'),
    new KafkaJSNoBrokerAvailableError(),
    new KafkaJSFetcherRebalanceError(),
  ];
}
