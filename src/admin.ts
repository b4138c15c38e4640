/**
 * KafkaAdmin: topic and cluster administration. Requests go out asynchronously through librdkafka's
 * Admin API; results come back on a private queue and are matched to promises by request id.
 */
import { dispatchEvents } from './client-events';
import { COMMON_OPTIONS, toRdkafka, type OptionTable } from './config';
import { destroyedError, kafkaError } from './errors';
import { trackUnclosed, untrackUnclosed } from './lifecycle';
import { addon, type NativeAdmin, type NativeAdminResult } from './native';
import type { CommonOptions } from './types';

export type AdminOptions = CommonOptions;

export interface NewTopic {
  name: string;
  /** Default: the broker's num.partitions (-1). */
  numPartitions?: number;
  /** Default: the broker's default.replication.factor (-1). */
  replicationFactor?: number;
  configs?: Record<string, string>;
}

export interface BrokerInfo {
  id: number;
  host: string;
  port: number;
}

export interface ClusterDescription {
  clusterId: string | null;
  controller: BrokerInfo | null;
  brokers: BrokerInfo[];
}

export interface TopicDescription {
  name: string;
  partitions: Array<{ partition: number; leader: number; replicas: number[]; isr: number[] }>;
}

const ADMIN_OPTIONS: OptionTable = { ...COMMON_OPTIONS };
const DEFAULT_TIMEOUT_MS = 30_000;

export class KafkaAdmin {
  readonly #native: NativeAdmin;
  readonly #options: AdminOptions;
  readonly #pending = new Map<number, { resolve: (r: NativeAdminResult) => void; reject: (e: Error) => void }>();
  #nextId = 1;
  #closing: Promise<void> | undefined;
  // Native holds this callback weakly (so an abandoned client can be collected): we hold it strongly.
  readonly #wake = (): void => this.#onWake();

  constructor(options: AdminOptions) {
    const config = toRdkafka('KafkaAdmin', options, ADMIN_OPTIONS);
    this.#options = options;
    this.#native = new addon.Admin(config, this.#wake);
    trackUnclosed(this, 'KafkaAdmin');
  }

  /** Creates topics; resolves when the controller has created them all, else rejects with the first error. */
  async createTopics(topics: NewTopic[], options: { validateOnly?: boolean; timeoutMs?: number } = {}): Promise<void> {
    if (!Array.isArray(topics)) throw new TypeError('topics must be an array of { name, numPartitions?, ... }');
    const specs = topics.map((t, i) => {
      if (typeof t !== 'object' || t === null || typeof t.name !== 'string' || t.name.length === 0) {
        throw new TypeError(`topics[${i}].name must be a non-empty string`);
      }
      for (const field of ['numPartitions', 'replicationFactor'] as const) {
        const v = t[field];
        if (v !== undefined && (!Number.isInteger(v) || (v < 1 && v !== -1))) {
          throw new RangeError(`topics[${i}].${field} must be a positive integer, got ${v}`);
        }
      }
      return {
        name: t.name,
        numPartitions: t.numPartitions ?? -1,
        replicationFactor: t.replicationFactor ?? -1,
        configs: Object.entries(t.configs ?? {}).flatMap(([k, v]) => [k, String(v)]),
      };
    });
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const deadline = Date.now() + timeoutMs;
    const result = await this.#call((id) =>
      this.#native.createTopics(id, specs, options.validateOnly ?? false, timeoutMs),
    );
    throwFirstTopicError(result);
    if (!options.validateOnly)
      await this.#awaitLeaders(
        specs.map((s) => s.name),
        deadline,
      );
  }

  /**
   * The controller has created the topics, but brokers learn of them asynchronously: wait until the
   * metadata this client sees lists every partition with a leader, so the topics are usable at once.
   */
  async #awaitLeaders(names: string[], deadline: number): Promise<void> {
    for (;;) {
      const md = await this.#native.metadata(null, Math.max(1000, deadline - Date.now()));
      const ready = names.every((name) => {
        const t = md.topics.find((x) => x.name === name);
        return (
          t !== undefined &&
          t.error === 'NO_ERROR' &&
          t.partitions.length > 0 &&
          t.partitions.every((p) => p.leader >= 0)
        );
      });
      if (ready) return;
      if (Date.now() > deadline) {
        throw kafkaError('_TIMED_OUT', `topics created but not all partitions have a leader yet: ${names.join(', ')}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async deleteTopics(names: string[], options: { timeoutMs?: number } = {}): Promise<void> {
    if (!Array.isArray(names) || names.some((n) => typeof n !== 'string')) {
      throw new TypeError('names must be an array of topic names');
    }
    const result = await this.#call((id) =>
      this.#native.deleteTopics(id, names, options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    );
    throwFirstTopicError(result);
  }

  /** Names of the cluster's topics, without internal ones (those starting with '__'). */
  async listTopics(options: { timeoutMs?: number } = {}): Promise<string[]> {
    this.#checkOpen();
    const md = await this.#native.metadata(null, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    return md.topics
      .map((t) => t.name)
      .filter((n) => !n.startsWith('__'))
      .sort();
  }

  async describeTopics(names: string[], options: { timeoutMs?: number } = {}): Promise<TopicDescription[]> {
    this.#checkOpen();
    if (!Array.isArray(names)) throw new TypeError('names must be an array of topic names');
    const out: TopicDescription[] = [];
    for (const name of names) {
      const md = await this.#native.metadata(name, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
      const t = md.topics.find((x) => x.name === name);
      if (!t || t.error !== 'NO_ERROR') {
        throw kafkaError(
          t?.error ?? 'UNKNOWN_TOPIC_OR_PART',
          `cannot describe topic '${name}': ${t?.error ?? 'not in metadata'}`,
        );
      }
      out.push({
        name,
        partitions: t.partitions
          .map(({ partition, leader, replicas, isr }) => ({ partition, leader, replicas, isr }))
          .sort((a, b) => a.partition - b.partition),
      });
    }
    return out;
  }

  async describeCluster(options: { timeoutMs?: number } = {}): Promise<ClusterDescription> {
    const result = await this.#call((id) => this.#native.describeCluster(id, options.timeoutMs ?? DEFAULT_TIMEOUT_MS));
    if (!result.cluster) throw new Error('describeCluster returned no result');
    return result.cluster;
  }

  /** Rejects pending requests with _DESTROY and destroys the client. Idempotent. */
  close(): Promise<void> {
    untrackUnclosed(this);
    this.#closing ??= (async () => {
      const error = destroyedError('KafkaAdmin');
      if (this.#pending.size > 0) this.#native.unref();
      for (const p of this.#pending.values()) p.reject(error);
      this.#pending.clear();
      await this.#native.close();
    })();
    return this.#closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #checkOpen(): void {
    if (this.#closing) throw destroyedError('KafkaAdmin');
  }

  #call(send: (id: number) => void): Promise<NativeAdminResult> {
    return new Promise((resolve, reject) => {
      this.#checkOpen();
      const id = this.#nextId++;
      send(id);
      if (this.#pending.size === 0) this.#native.ref();
      this.#pending.set(id, { resolve, reject });
    });
  }

  #onWake(): void {
    const { results, events } = this.#native.poll();
    if (events.length > 0) dispatchEvents(events, { logger: this.#options.logger, onStats: this.#options.onStats });
    for (const r of results) {
      const p = this.#pending.get(r.id);
      if (!p) continue;
      this.#pending.delete(r.id);
      if (this.#pending.size === 0) this.#native.unref();
      if (r.error) p.reject(r.error);
      else p.resolve(r);
    }
  }
}

function throwFirstTopicError(result: NativeAdminResult): void {
  if (result.error) throw result.error;
  const failed = result.topics?.find((t) => t.error);
  if (failed?.error) throw failed.error;
}
