/**
 * One kafkajs Admin's link to the engine and what its calls share: the native client opened at the first
 * call (kafkajs connects lazily too), errors converted to kafkajs's, kafkajs's retry loop, and commits for
 * a group with no running member.
 */
import { KafkaAdmin } from '../../admin';
import type { TopicPartitionOffset } from '../../core/types';
import type { ClientContext } from '../connection';
import {
  KafkaJSNonRetriableError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
  toKafkaJSError,
} from '../errors';
import type { Logger } from '../logger';
import type { AdminConfig } from '../types';
import { describedGroup } from './described-group';

export class AdminSession {
  readonly logger: Logger;
  readonly #context: ClientContext;
  readonly #config: AdminConfig;
  #engine: Promise<KafkaAdmin> | undefined;

  constructor(context: ClientContext, config: AdminConfig, logger: Logger) {
    this.#context = context;
    this.#config = config;
    this.logger = logger;
  }

  /** connect()'s check that the cluster answers: a metadata request, as kafkajs's connect makes. */
  async ping(): Promise<void> {
    const timeoutMs = this.#context.connectBudgetMs(this.#config.retry);
    const admin = await this.#client();
    await admin.listTopics({ includeInternal: true, timeoutMs });
  }

  /** The native client, created at the first call (kafkajs connects lazily too). */
  #client(): Promise<KafkaAdmin> {
    if (!this.#engine) {
      const engine = this.#context.options('Admin', this.#config.retry).then((options) => new KafkaAdmin(options));
      this.#engine = engine;
      // Brokers that could not be resolved: the next call tries again.
      engine.catch(() => {
        if (this.#engine === engine) this.#engine = undefined;
      });
    }
    return this.#engine;
  }

  /** Closes the client (pending calls reject); the next call opens a new one. */
  async close(): Promise<void> {
    const engine = this.#engine;
    this.#engine = undefined;
    const admin = await engine?.catch(() => undefined);
    await admin?.close();
  }

  /** Runs a call on the client; whatever it throws rejects as a KafkaJS error. */
  async run<T>(call: (admin: KafkaAdmin) => Promise<T>): Promise<T> {
    try {
      return await call(await this.#client());
    } catch (err) {
      throw this.error(err);
    }
  }

  /**
   * KafkaAdmin's errors as kafkajs's. Its argument checks (TypeError, RangeError) catch what kafkajs leaves
   * to the broker to refuse; kafkajs's callers see KafkaJS errors only, so those are non-retriable ones.
   */
  error(err: unknown): Error {
    if (err instanceof TypeError || err instanceof RangeError) {
      return new KafkaJSNonRetriableError(err.message, { cause: err });
    }
    return toKafkaJSError(err);
  }

  /**
   * kafkajs's retry loop for the errors a call retries (`retryOn`): up to `retries` more attempts, waiting
   * a randomized, exponentially growing time; then KafkaJSNumberOfRetriesExceeded with the last error.
   * Other errors reject as they are.
   */
  async retry<T>(what: string, call: () => Promise<T>, retryOn: (e: Error) => boolean): Promise<T> {
    const options = this.#context.retry(this.#config.retry);
    const { factor, multiplier, maxRetryTime, retries } = options;
    const randomize = (time: number): number => {
      const delta = factor * time;
      return Math.ceil(time - delta + Math.random() * 2 * delta);
    };
    let retryTime = randomize(options.initialRetryTime);
    for (let retryCount = 0; ; retryCount++) {
      try {
        return await call();
      } catch (err) {
        const e = err as Error;
        if (!retryOn(e)) throw e;
        if (retryCount >= retries) throw new KafkaJSNumberOfRetriesExceeded(e, { retryCount, retryTime });
        this.logger.warn(`Could not ${what}`, { error: e.message, retryCount, retryTime });
        await new Promise((resolve) => setTimeout(resolve, retryTime));
        retryTime = Math.min(randomize(retryTime) * multiplier, maxRetryTime);
      }
    }
  }

  /**
   * Commits offsets for a group, refusing (as kafkajs does) while it has running members: Kafka would
   * refuse the commit of a non-member anyway, with a less telling error (UNKNOWN_MEMBER_ID).
   */
  async commit(admin: KafkaAdmin, groupId: string, offsets: TopicPartitionOffset[]): Promise<void> {
    const [group] = await admin.describeConsumerGroups([groupId]);
    const state = group ? describedGroup(group).state : 'Dead';
    if (state !== 'Empty' && state !== 'Dead') {
      throw new KafkaJSNonRetriableError(`The consumer group must have no running instances, current state: ${state}`);
    }
    if (offsets.length === 0) return;
    const results = await admin.alterConsumerGroupOffsets(groupId, offsets);
    const failed = results.find((r) => r.error);
    if (failed?.error) throw failed.error;
  }
}

/** True when `e` is a KafkaJS error of one of `types`. */
export function hasType(e: unknown, ...types: string[]): boolean {
  const type = (e as { type?: unknown } | null)?.type;
  return typeof type === 'string' && types.includes(type);
}

/** kafkajs's protocol error code of an error; -1 for one that is not a protocol error. */
export function errorCodeOf(e: Error): number {
  const code = (e as { code?: unknown }).code;
  return e instanceof KafkaJSProtocolError && typeof code === 'number' ? code : -1;
}
