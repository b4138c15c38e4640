/**
 * KafkaShareConsumer (KIP-932 share groups, "queues for Kafka"): members of a share group consume the
 * same partitions cooperatively; each record is locked for the member it went to until that member
 * acknowledges it (accept, release, reject) or the lock runs out, and counts its deliveries.
 *
 * Data path: the native share consumer runs every librdkafka call on a thread of its own
 * (native/clients/share_consumer.h). A poll crosses once per batch, carrying the acknowledgements gathered since
 * the previous one; the records come back in one slab and are decoded as they are handed out. Nothing is
 * fetched while the application has not taken what was fetched: the buffer is the backpressure.
 *
 * Acknowledgement: librdkafka runs in explicit mode. Records handed to the application are tracked here;
 * in implicit mode those not acknowledged otherwise are accepted at the next poll, commit or close, so a
 * record fetched but still buffered here is never accepted unseen.
 */
import { KafkaClient } from '../client/base';
import { ProcessSpans, commitChannel, receiveChannel, type CommitContext } from '../observe/diagnostics';
import { KafkaError, kafkaError, nativeCode } from '../core/errors';
import { type NativeShareBatch, type NativeShareConsumer } from '../native/addon';
import { ACK_TYPES, PendingAcks } from './acks';
import { aboutRecord, ShareHandout } from './handout';
import { shareNative } from './native-calls';
import { subscriptionArg } from '../consumer/options';
import { integerArg, optionsArg, timeoutArg, typeName } from '../core/validate';
import {
  shareConsumerConfig,
  type AcknowledgeType,
  type ShareCommitResult,
  type ShareConsumerOptions,
  type SharePollOptions,
  type ShareRecord,
} from './options';

/** A native poll for an iterator: ended by records, close() or another command (never by a timer here). */
const WAIT_FOREVER = -1;

/**
 * A member of a share group (KIP-932, Kafka 4.1+): records are handed out to the members one by one
 * rather than by partition, and each is acknowledged (accepted, released for redelivery, or rejected).
 * See docs/share-groups.md.
 */
export class KafkaShareConsumer<K = Buffer, V = Buffer>
  extends KafkaClient<NativeShareConsumer>
  implements AsyncIterable<ShareRecord<K, V>>
{
  readonly #explicit: boolean;
  readonly #groupId: string;
  readonly #maxPollRecords: number;
  #subscription: string[] = [];
  readonly #acks = new PendingAcks();
  /** The fetched records and those handed out, not acknowledged yet. */
  readonly #records: ShareHandout<K, V>;
  /** The native poll in flight (one at a time: librdkafka's handle is single-threaded). */
  #fetching: Promise<void> | undefined;
  #outstanding = 0;
  /** Rejects what waits for records when the cluster refuses our credentials. */
  readonly #authWaiters = new Set<(error: KafkaError) => void>();

  constructor(topics: string | string[] | undefined, options: ShareConsumerOptions<K, V>) {
    const config = shareConsumerConfig(options as ShareConsumerOptions<unknown, unknown>);
    const subscription = topics === undefined ? [] : subscriptionNames(topics);
    super('KafkaShareConsumer', options, (wake) => shareNative(config, wake));
    this.#explicit = options.acknowledgementMode === 'explicit';
    this.#groupId = options.groupId;
    this.#maxPollRecords = options.maxPollRecords ?? 500;
    this.#records = new ShareHandout(this.#acks, options.keyDeserializer, options.valueDeserializer);
    if (subscription.length > 0) void this.#track(this.#subscribe(subscription)).catch(() => {});
  }

  /**
   * Replaces the subscription (topic names; share groups take no patterns). A bad argument or a closed
   * consumer rejects the promise, as every promise-returning method does, never throws.
   */
  async subscribe(topics: string | string[]): Promise<void> {
    this.checkOpen();
    return this.#track(this.#subscribe(subscriptionNames(topics)));
  }

  /** Leaves the subscription. */
  async unsubscribe(): Promise<void> {
    this.checkOpen();
    this.#subscription = [];
    return this.#track(this.native.unsubscribe());
  }

  /** The topics subscribed to; empty when none. */
  subscription(): string[] {
    return [...this.#subscription];
  }

  #subscribe(topics: string[]): Promise<void> {
    this.#subscription = topics;
    return topics.length === 0 ? this.native.unsubscribe() : this.native.subscribe(topics);
  }

  /**
   * Up to `maxRecords` records, waiting up to `timeoutMs` when none are ready. In explicit mode every
   * record of earlier polls must have been acknowledged first (else KafkaError `_STATE`).
   */
  async poll(options: SharePollOptions = {}): Promise<Array<ShareRecord<K, V>>> {
    const opts = optionsArg(options);
    const timeoutMs = timeoutArg(opts.timeoutMs, 'timeoutMs', 1000, true);
    const maxRecords =
      opts.maxRecords === undefined ? this.#maxPollRecords : integerArg(opts.maxRecords, 'maxRecords', 1, 1_000_000);
    this.#beginPoll();
    await this.#records.settled();
    let records = this.#records.take(maxRecords);
    if (records.length === 0 && this.#records.remaining === 0) {
      await this.#fetch(timeoutMs);
      records = this.#records.take(maxRecords);
    }
    if (records.length > 0 && receiveChannel.hasSubscribers) this.#received(records);
    return records;
  }

  /** One record at a time; ends when the consumer is closed. `break` leaves it open. */
  [Symbol.asyncIterator](): AsyncIterator<ShareRecord<K, V>> {
    // `kafka-napi:process:start|end` around each loop body, as the group consumer's iterator publishes.
    const spans = new ProcessSpans(this.clientName, this.#groupId);
    const begin = (record: ShareRecord<K, V>): ShareRecord<K, V> => {
      if (receiveChannel.hasSubscribers) this.#received([record]);
      return spans.begin(record);
    };
    const end = (): void => spans.end();
    return {
      next: async (): Promise<IteratorResult<ShareRecord<K, V>>> => {
        end();
        if (this.closing) return { value: undefined, done: true };
        this.#beginPoll();
        for (;;) {
          await this.#records.settled();
          const [record] = this.#records.take(1);
          if (record) return { value: begin(record), done: false };
          if (this.closing) return { value: undefined, done: true };
          try {
            await this.#fetch(WAIT_FOREVER);
          } catch (err) {
            if (this.closing && err instanceof KafkaError && err.code === '_DESTROY') {
              return { value: undefined, done: true };
            }
            throw err;
          }
        }
      },
      return: (): Promise<IteratorResult<ShareRecord<K, V>>> => {
        end();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }

  #received(records: Array<ShareRecord<K, V>>): void {
    receiveChannel.publish({ client: this.clientName, groupId: this.#groupId, records });
  }

  /**
   * Acknowledges a record this consumer handed out: 'accept' (default), 'release' (deliver again) or
   * 'reject' (never again). Sent with the next poll, commit or close. In implicit mode it overrides the
   * accept the record would get.
   */
  acknowledge(record: ShareRecord<K, V>, type: AcknowledgeType = 'accept'): void {
    if (!isDeliveredShape(record)) {
      throw new TypeError(
        `record must be a record this consumer delivered (with topic, partition and offset), got ${typeName(record)}`,
      );
    }
    const code = Object.hasOwn(ACK_TYPES, type) ? ACK_TYPES[type] : undefined;
    if (code === undefined) {
      throw new (typeof type === 'string' ? RangeError : TypeError)(
        `type must be 'accept', 'release' or 'reject', got ${typeof type === 'string' ? JSON.stringify(type) : typeName(type)}`,
      );
    }
    this.checkOpen();
    if (!this.#records.unacked.delete(record)) {
      throw aboutRecord(
        kafkaError(
          '_STATE',
          `${record.topic}[${record.partition}] offset ${record.offset} was not delivered by this consumer or is already acknowledged`,
        ),
        record,
      );
    }
    this.#acks.add(record.topic, record.partition, record.offset, code);
  }

  /**
   * Sends the acknowledgements made so far (in implicit mode: accepts every record handed out) and
   * resolves with each partition's outcome once the brokers answered.
   */
  commit(options: { timeoutMs?: number } = {}): Promise<ShareCommitResult[]> {
    // offsets undefined: what is settled is every acknowledgement made so far.
    return commitChannel.traceIfSubscribed(
      () => this.#commit(options),
      (): CommitContext => ({ client: this.clientName, groupId: this.#groupId, offsets: undefined }),
    );
  }

  async #commit(options: { timeoutMs?: number }): Promise<ShareCommitResult[]> {
    const timeoutMs = timeoutArg(optionsArg(options).timeoutMs, 'timeoutMs', 30_000);
    this.checkUsable();
    if (!this.#explicit) this.#acceptHandedOut();
    const result = await this.#track(this.native.commit(timeoutMs, this.#acks.take()));
    if (!result) return [];
    return result.topics.map((topic, i) => {
      const code = result.errors[i];
      if (!code) return { topic, partition: result.partitions[i] };
      const partition = result.partitions[i];
      const error = aboutRecord(
        kafkaError(nativeCode(code), `acknowledgements for ${topic}[${partition}] failed: ${code}`),
        {
          topic,
          partition,
        },
      );
      return { topic, partition, error };
    });
  }

  /**
   * Sends what was acknowledged (implicit mode: accepts what was handed out), leaves the share group and
   * releases the client. Records fetched but never handed out are released by the broker. Idempotent.
   */
  close(): Promise<void> {
    return this.closeOnce(async () => {
      if (!this.#explicit) this.#acceptHandedOut();
      // Buffered records were never seen: let the broker give them to another member now rather than
      // after the lock duration.
      this.#records.releaseBuffered();
      this.#records.unacked.clear();
      this.#outstanding++;
      this.#updateRef();
      try {
        await this.native.close(this.#acks.take());
      } finally {
        this.#outstanding--;
        this.#updateRef();
        const error = this.destroyedError();
        for (const reject of this.#authWaiters) reject(error);
      }
    });
  }

  /** Before handing out more: explicit mode insists on acknowledgements; implicit mode accepts. */
  #beginPoll(): void {
    this.checkUsable();
    this.#records.throwRecordError();
    if (!this.#explicit) {
      this.#acceptHandedOut();
    } else if (this.#records.unacked.size > 0) {
      throw kafkaError(
        '_STATE',
        `${this.#records.unacked.size} record(s) handed out earlier are not acknowledged; in explicit acknowledgementMode acknowledge every record before polling again`,
      );
    }
  }

  #acceptHandedOut(): void {
    for (const record of this.#records.unacked) {
      this.#acks.add(record.topic, record.partition, record.offset, ACK_TYPES.accept);
    }
    this.#records.unacked.clear();
  }

  /** One native poll (shared by concurrent callers), its records into the buffer. */
  #fetch(timeoutMs: number): Promise<void> {
    if (!this.#fetching) {
      const fetching = this.#track(this.native.poll(timeoutMs, this.#acks.take())).then(
        (batch: NativeShareBatch | undefined) => {
          if (batch && batch.count > 0) {
            this.#records.fill(batch);
          }
        },
      );
      this.#fetching = fetching;
      void fetching.then(
        () => (this.#fetching = undefined),
        () => (this.#fetching = undefined),
      );
    }
    const auth = this.auth.error;
    if (auth) return Promise.reject(auth);
    // An authentication failure fails the wait at once; the poll's records, if any, stay buffered.
    return new Promise<void>((resolve, reject) => {
      this.#authWaiters.add(reject);
      this.#fetching!.then(resolve, reject).finally(() => this.#authWaiters.delete(reject));
    });
  }

  /** Keeps the event loop alive while a native call is out. */
  #track<T>(promise: Promise<T>): Promise<T> {
    this.#outstanding++;
    this.#updateRef();
    return promise.finally(() => {
      this.#outstanding--;
      this.#updateRef();
    });
  }

  #updateRef(): void {
    this.setBusy(this.#outstanding > 0);
  }

  /** @internal */
  protected override onWake(): void {
    this.dispatch(this.native.pollEvents());
  }

  /** @internal */
  protected override onAuthFailure(error: KafkaError): void {
    this.auth.trip(error);
    for (const reject of this.#authWaiters) reject(error);
  }
}

/** The fields acknowledge() sends: what any record a share consumer delivers has. */
function isDeliveredShape(record: unknown): record is { topic: string; partition: number; offset: number } {
  if (typeof record !== 'object' || record === null) return false;
  const r = record as { topic?: unknown; partition?: unknown; offset?: unknown };
  return typeof r.topic === 'string' && Number.isInteger(r.partition) && Number.isInteger(r.offset);
}

function subscriptionNames(topics: unknown): string[] {
  if (topics instanceof RegExp) throw new TypeError('topics: share groups subscribe by topic name, not by pattern');
  return subscriptionArg(topics, 'topics', true);
}
