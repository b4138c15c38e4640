/**
 * KafkaAdmin: topic and cluster administration. Requests go out asynchronously through librdkafka's
 * Admin API; results come back on a private queue and are matched to promises by request id.
 */
import { KafkaClient } from './client';
import { COMMON_OPTIONS, toRdkafka, type OptionTable } from './config';
import { kafkaError, type KafkaError } from './errors';
import { addon, type NativeAdmin, type NativeAdminResult } from './native';
import { PendingRequests } from './pending';
import type { CommonOptions } from './types';
import { arrayArg, integerArg, isPlainObject, MAX_PARTITION, optionsArg, topicArg, typeName } from './validate';

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
/** librdkafka's Admin API takes request timeouts of at most one hour. */
const MAX_ADMIN_TIMEOUT_MS = 3_600_000;

/** The `timeoutMs` of an admin call's options: an integer in [0, 1 hour]. */
function adminTimeout(options: Record<string, unknown>): number {
  const value = options.timeoutMs;
  return value === undefined ? DEFAULT_TIMEOUT_MS : integerArg(value, 'timeoutMs', 0, MAX_ADMIN_TIMEOUT_MS);
}

/** numPartitions / replicationFactor: a positive integer, or -1 for the broker's default. */
function countArg(value: unknown, name: string, max: number): number {
  if (value === undefined || value === -1) return -1;
  return integerArg(value, name, 1, max);
}

export class KafkaAdmin extends KafkaClient<NativeAdmin> {
  readonly #pending = new PendingRequests<NativeAdminResult>(() => this.setBusy(this.#pending.size > 0));

  constructor(options: AdminOptions) {
    const config = toRdkafka({ kind: 'KafkaAdmin', table: ADMIN_OPTIONS }, options);
    super('KafkaAdmin', options, (wake) => new addon.Admin(config, wake));
  }

  /** Creates topics; resolves when the controller has created them all, else rejects with the first error. */
  async createTopics(topics: NewTopic[], options?: { validateOnly?: boolean; timeoutMs?: number }): Promise<void> {
    this.checkUsable();
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
    const result = await this.#call((id) => this.native.createTopics(id, specs, validateOnly, timeoutMs));
    throwFirstTopicError(result);
    if (!validateOnly)
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
      const md = await this.auth.guard(
        this.native.metadata(null, Math.min(MAX_ADMIN_TIMEOUT_MS, Math.max(1000, deadline - Date.now()))),
      );
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

  async deleteTopics(names: string[], options?: { timeoutMs?: number }): Promise<void> {
    this.checkUsable();
    const list = Array.from(arrayArg(names, 'names'), (n, i) => topicArg(n, `names[${i}]`));
    const timeoutMs = adminTimeout(optionsArg(options));
    if (list.length === 0) return;
    const result = await this.#call((id) => this.native.deleteTopics(id, list, timeoutMs));
    throwFirstTopicError(result);
  }

  /** Names of the cluster's topics, without internal ones (those starting with '__'). */
  async listTopics(options?: { timeoutMs?: number }): Promise<string[]> {
    this.checkUsable();
    const md = await this.auth.guard(this.native.metadata(null, adminTimeout(optionsArg(options))));
    return md.topics
      .map((t) => t.name)
      .filter((n) => !n.startsWith('__'))
      .sort();
  }

  async describeTopics(names: string[], options?: { timeoutMs?: number }): Promise<TopicDescription[]> {
    this.checkUsable();
    const list = Array.from(arrayArg(names, 'names'), (n, i) => topicArg(n, `names[${i}]`));
    const timeoutMs = adminTimeout(optionsArg(options));
    const out: TopicDescription[] = [];
    for (const name of list) {
      const md = await this.auth.guard(this.native.metadata(name, timeoutMs));
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

  async describeCluster(options?: { timeoutMs?: number }): Promise<ClusterDescription> {
    this.checkUsable();
    const timeoutMs = adminTimeout(optionsArg(options));
    const result = await this.#call((id) => this.native.describeCluster(id, timeoutMs));
    if (!result.cluster) throw kafkaError('_FAIL', 'describeCluster returned no result');
    return result.cluster;
  }

  /** Rejects pending requests with _DESTROY and destroys the client. Idempotent. */
  close(): Promise<void> {
    return this.closeOnce(async () => {
      this.#pending.rejectAll(this.destroyedError());
      await this.native.close();
    });
  }

  /** Requests waiting for a broker that refuses us fail now (src/auth-failure.ts); their results are dropped. @internal */
  protected override onAuthFailure(error: KafkaError): void {
    this.auth.trip(error);
    this.#pending.rejectAll(error);
  }

  #call(send: (id: number) => void): Promise<NativeAdminResult> {
    try {
      this.checkUsable();
      return this.#pending.start(send);
    } catch (err) {
      return Promise.reject(err as Error);
    }
  }

  /** @internal */
  protected override onWake(): void {
    const { results, events } = this.native.poll();
    this.dispatch(events);
    for (const r of results) {
      if (this.#pending.settle(r.id, r.error, r) && !r.error) this.auth.clear();
    }
  }
}

function throwFirstTopicError(result: NativeAdminResult): void {
  if (result.error) throw result.error;
  const failed = result.topics?.find((t) => t.error);
  if (failed?.error) throw failed.error;
}
