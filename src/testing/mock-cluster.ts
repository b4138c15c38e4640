/**
 * `MockCluster`: librdkafka's in-process mock cluster (native/clients/mock_cluster.h) with its fault injection, for
 * testing application code against Kafka failures without a broker. Brokers listen on loopback ports;
 * every client (this library's, or another one speaking the protocol) connects through `bootstrapServers`.
 * What the mock does not implement is listed in docs/testing.md.
 */
import { codeToErrno, type ErrorCode } from '../core/errors';
import { addon, type NativeMockCluster } from '../native/addon';
import { arrayArg, integerArg, optionsArg, show, topicArg, typeName } from '../core/validate';

/** Kafka protocol request types by name, for pushRequestErrors and requests(). */
export const ApiKeys = {
  Produce: 0,
  Fetch: 1,
  ListOffsets: 2,
  Metadata: 3,
  OffsetCommit: 8,
  OffsetFetch: 9,
  FindCoordinator: 10,
  JoinGroup: 11,
  Heartbeat: 12,
  LeaveGroup: 13,
  SyncGroup: 14,
  DescribeGroups: 15,
  ListGroups: 16,
  SaslHandshake: 17,
  ApiVersions: 18,
  CreateTopics: 19,
  DeleteTopics: 20,
  DeleteRecords: 21,
  InitProducerId: 22,
  OffsetForLeaderEpoch: 23,
  AddPartitionsToTxn: 24,
  AddOffsetsToTxn: 25,
  EndTxn: 26,
  TxnOffsetCommit: 28,
  DescribeConfigs: 32,
  AlterConfigs: 33,
  SaslAuthenticate: 36,
  CreatePartitions: 37,
  DeleteGroups: 42,
  IncrementalAlterConfigs: 44,
  OffsetDelete: 47,
  DescribeCluster: 60,
  ConsumerGroupHeartbeat: 68,
} as const;

export type ApiKeyName = keyof typeof ApiKeys;

const API_NAMES = new Map<number, ApiKeyName>(Object.entries(ApiKeys).map(([name, key]) => [key, name as ApiKeyName]));

/** A request a mock broker received (MockCluster.trackRequests). */
export interface MockRequest {
  brokerId: number;
  apiKey: number;
  /** The name from ApiKeys, when it has one there. */
  apiName: ApiKeyName | undefined;
  /** When the broker received it, ms since the epoch. */
  timestamp: number;
}

/** One error a broker answers with, optionally after a delay (pushBrokerRequestErrors). */
export type MockError = ErrorCode | { code: ErrorCode; rttMs?: number };

const MAX_BROKERS = 64;
const MAX_ID = 2 ** 31 - 1;

export class MockCluster implements AsyncDisposable {
  readonly #native: NativeMockCluster;
  /** Comma-separated host:port of the mock brokers. */
  readonly bootstrapServers: string;
  /** The brokers' ids: 1 to `brokers`. */
  readonly brokerIds: readonly number[];

  private constructor(brokers: number) {
    this.#native = new addon.MockCluster(brokers);
    this.bootstrapServers = this.#native.bootstraps();
    this.brokerIds = Object.freeze(Array.from({ length: brokers }, (_, i) => i + 1));
  }

  /** Starts `brokers` (default 3) mock brokers on loopback ports. */
  static async start(options: { brokers?: number } = {}): Promise<MockCluster> {
    const opts = optionsArg(options);
    const brokers = opts.brokers === undefined ? 3 : integerArg(opts.brokers, 'brokers', 1, MAX_BROKERS);
    return new MockCluster(brokers);
  }

  /**
   * Creates a topic (the mock also auto-creates topics a client asks for, with the mock's default of 4
   * partitions). Fails with a KafkaError if it exists.
   */
  createTopic(name: string, partitions = 1, replicationFactor = 1): void {
    topicArg(name, 'name');
    integerArg(partitions, 'partitions', 1, 100_000);
    integerArg(replicationFactor, 'replicationFactor', 1, this.brokerIds.length);
    this.#native.createTopic(name, partitions, replicationFactor);
  }

  /** Deletes a topic from the mock cluster. */
  deleteTopic(name: string): void {
    this.#native.deleteTopic(topicArg(name, 'name'));
  }

  /** The broker closes its connections and refuses new ones until setBrokerUp. */
  setBrokerDown(brokerId: number): void {
    this.#native.setBrokerDown(this.#broker(brokerId));
  }

  /** The broker accepts connections again. */
  setBrokerUp(brokerId: number): void {
    this.#native.setBrokerUp(this.#broker(brokerId));
  }

  /** Delays every response of the broker by `ms` (0: none). */
  setRtt(brokerId: number, ms: number): void {
    this.#native.setRtt(this.#broker(brokerId), integerArg(ms, 'ms', 0, MAX_ID));
  }

  /** Moves the partition's leadership; `null`: the partition has no leader. */
  setPartitionLeader(topic: string, partition: number, brokerId: number | null): void {
    this.#native.setPartitionLeader(
      topicArg(topic, 'topic'),
      integerArg(partition, 'partition', 0, MAX_ID),
      brokerId === null ? -1 : this.#broker(brokerId),
    );
  }

  /** The replica consumers are told to fetch from (KIP-392), as a broker with `client.rack` would. */
  setPartitionFollower(topic: string, partition: number, brokerId: number): void {
    this.#native.setPartitionFollower(
      topicArg(topic, 'topic'),
      integerArg(partition, 'partition', 0, MAX_ID),
      this.#broker(brokerId),
    );
  }

  /** Moves a consumer group's coordinator (the group's clients must find it again). */
  setGroupCoordinator(groupId: string, brokerId: number): void {
    this.#native.setCoordinator('group', this.#key(groupId, 'groupId'), this.#broker(brokerId));
  }

  /** Moves a transactional id's coordinator. */
  setTransactionCoordinator(transactionalId: string, brokerId: number): void {
    this.#native.setCoordinator('transaction', this.#key(transactionalId, 'transactionalId'), this.#broker(brokerId));
  }

  /**
   * The next `errors.length` requests of type `apiKey`, on whichever broker, fail with these codes in order
   * (codes as in KafkaError.code: 'NOT_LEADER_FOR_PARTITION', 'REQUEST_TIMED_OUT', ...; '_TRANSPORT' makes
   * the broker drop the connection instead).
   */
  pushRequestErrors(apiKey: number | ApiKeyName, errors: ErrorCode[]): void {
    this.#native.pushRequestErrors(this.#apiKey(apiKey), this.#errnos(errors, 'errors'));
  }

  /** Like pushRequestErrors on one broker; each error may come after a delay (`rttMs`). */
  pushBrokerRequestErrors(brokerId: number, apiKey: number | ApiKeyName, errors: MockError[]): void {
    const list = arrayArg(errors, 'errors');
    const codes: string[] = [];
    const rtts: number[] = [];
    list.forEach((e, i) => {
      if (typeof e === 'string') {
        codes.push(e);
        rtts.push(0);
      } else if (typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string') {
        const { code, rttMs } = e as { code: string; rttMs?: unknown };
        codes.push(code);
        rtts.push(rttMs === undefined ? 0 : integerArg(rttMs, `errors[${i}].rttMs`, 0, MAX_ID));
      } else {
        throw new TypeError(`errors[${i}] must be a code string or { code, rttMs }, got ${typeName(e)}`);
      }
    });
    this.#native.pushBrokerRequestErrors(
      this.#broker(brokerId),
      this.#apiKey(apiKey),
      this.#errnos(codes, 'errors'),
      rtts,
    );
  }

  /** Drops the errors still queued for `apiKey`. */
  clearRequestErrors(apiKey: number | ApiKeyName): void {
    this.#native.clearRequestErrors(this.#apiKey(apiKey));
  }

  /** The versions of `apiKey` the brokers advertise; -1, -1: not supported at all. */
  setApiVersion(apiKey: number | ApiKeyName, min: number, max: number): void {
    this.#native.setApiVersion(
      this.#apiKey(apiKey),
      integerArg(min, 'min', -1, 32767),
      integerArg(max, 'max', -1, 32767),
    );
  }

  /** Starts recording the requests the brokers receive (read them with requests()). */
  trackRequests(): void {
    this.#native.startRequestTracking();
  }

  /** The requests received since trackRequests(); `clear` forgets them afterwards. */
  requests(options: { clear?: boolean } = {}): MockRequest[] {
    const clear = optionsArg(options).clear === true;
    return this.#native.requests(clear).map(([brokerId, apiKey, micros]) => ({
      brokerId,
      apiKey,
      apiName: API_NAMES.get(apiKey),
      timestamp: micros / 1000,
    }));
  }

  /** Stops the brokers (clients still connected see them go down). Idempotent. */
  stop(): Promise<void> {
    return this.#native.stop();
  }

  /** `await using`: stop() at the end of the scope. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  #broker(brokerId: unknown): number {
    return integerArg(brokerId, 'brokerId', 0, MAX_ID);
  }

  #key(value: unknown, name: string): string {
    if (typeof value !== 'string' || value.length === 0) {
      throw new TypeError(`${name} must be a non-empty string, got ${show(value)}`);
    }
    return value;
  }

  #apiKey(apiKey: unknown): number {
    if (typeof apiKey === 'string') {
      if (!Object.hasOwn(ApiKeys, apiKey)) {
        throw new RangeError(
          `apiKey must be a request type number or one of ${Object.keys(ApiKeys).join(', ')}, got ${show(apiKey)}`,
        );
      }
      return ApiKeys[apiKey as ApiKeyName];
    }
    return integerArg(apiKey, 'apiKey', 0, 32767);
  }

  #errnos(codes: unknown, name: string): number[] {
    return arrayArg(codes, name).map((code, i) => {
      if (typeof code !== 'string')
        throw new TypeError(`${name}[${i}] must be an error code string, got ${typeName(code)}`);
      const errno = codeToErrno(code);
      if (errno === -1 && code !== '_UNKNOWN') throw new RangeError(`${name}[${i}]: unknown error code ${show(code)}`);
      return errno;
    });
  }
}
