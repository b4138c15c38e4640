/**
 * KafkaAdmin: topic and cluster administration. Requests go out asynchronously through librdkafka's
 * Admin API; results come back on a private queue and are matched to promises by request id.
 */
import { AuthLatch } from './auth-failure';
import { dispatchEvents, logError } from './client-events';
import { COMMON_OPTIONS, toRdkafka, type OptionTable } from './config';
import { destroyedError, kafkaError, type KafkaError } from './errors';
import { trackUnclosed, untrackUnclosed } from './lifecycle';
import { addon, type NativeAdmin, type NativeAdminResult } from './native';
import type { CommonOptions } from './types';
import { arrayArg, integerArg, isPlainObject, MAX_PARTITION, optionsArg, topicArg, typeName } from './validate';
import { tokenRefreshHandler } from './oauthbearer';

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

export class KafkaAdmin {
  readonly #native: NativeAdmin;
  readonly #tokenRefresh: () => void;
  readonly #auth = new AuthLatch();
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
    this.#tokenRefresh = tokenRefreshHandler(this.#native, options.sasl, (m) => logError(options.logger, m));
    trackUnclosed(this, 'KafkaAdmin');
  }

  /** Creates topics; resolves when the controller has created them all, else rejects with the first error. */
  async createTopics(topics: NewTopic[], options?: { validateOnly?: boolean; timeoutMs?: number }): Promise<void> {
    this.#checkOpen();
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
    const result = await this.#call((id) => this.#native.createTopics(id, specs, validateOnly, timeoutMs));
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
      const md = await this.#auth.guard(
        this.#native.metadata(null, Math.min(MAX_ADMIN_TIMEOUT_MS, Math.max(1000, deadline - Date.now()))),
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
    this.#checkOpen();
    const list = Array.from(arrayArg(names, 'names'), (n, i) => topicArg(n, `names[${i}]`));
    const timeoutMs = adminTimeout(optionsArg(options));
    if (list.length === 0) return;
    const result = await this.#call((id) => this.#native.deleteTopics(id, list, timeoutMs));
    throwFirstTopicError(result);
  }

  /** Names of the cluster's topics, without internal ones (those starting with '__'). */
  async listTopics(options?: { timeoutMs?: number }): Promise<string[]> {
    this.#checkOpen();
    const md = await this.#auth.guard(this.#native.metadata(null, adminTimeout(optionsArg(options))));
    return md.topics
      .map((t) => t.name)
      .filter((n) => !n.startsWith('__'))
      .sort();
  }

  async describeTopics(names: string[], options?: { timeoutMs?: number }): Promise<TopicDescription[]> {
    this.#checkOpen();
    const list = Array.from(arrayArg(names, 'names'), (n, i) => topicArg(n, `names[${i}]`));
    const timeoutMs = adminTimeout(optionsArg(options));
    const out: TopicDescription[] = [];
    for (const name of list) {
      const md = await this.#auth.guard(this.#native.metadata(name, timeoutMs));
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
    this.#checkOpen();
    const timeoutMs = adminTimeout(optionsArg(options));
    const result = await this.#call((id) => this.#native.describeCluster(id, timeoutMs));
    if (!result.cluster) throw kafkaError('_FAIL', 'describeCluster returned no result');
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
    const auth = this.#auth.error;
    if (auth) throw auth;
  }

  /** Requests waiting for a broker that refuses us fail now (src/auth-failure.ts); their results are dropped. */
  #onAuthFailure(error: KafkaError): void {
    this.#auth.trip(error);
    if (this.#pending.size === 0) return;
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    this.#native.unref();
    for (const p of pending) p.reject(error);
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
    if (events.length > 0) {
      dispatchEvents(events, {
        logger: this.#options.logger,
        onStats: this.#options.onStats,
        onTokenRefresh: this.#tokenRefresh,
        onAuthFailure: (error) => this.#onAuthFailure(error),
      });
    }
    for (const r of results) {
      const p = this.#pending.get(r.id);
      if (!p) continue;
      this.#pending.delete(r.id);
      if (this.#pending.size === 0) this.#native.unref();
      if (r.error) p.reject(r.error);
      else {
        this.#auth.clear();
        p.resolve(r);
      }
    }
  }
}

function throwFirstTopicError(result: NativeAdminResult): void {
  if (result.error) throw result.error;
  const failed = result.topics?.find((t) => t.error);
  if (failed?.error) throw failed.error;
}
