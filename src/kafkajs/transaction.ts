/** kafkajs's Transaction over a transactional KafkaProducer. */
import type { KafkaProducer } from '../producer';
import { KafkaJSNonRetriableError, toKafkaJSError } from './errors';
import { ownMembers } from './members';
import type { Offsets, ProducerBatch, ProducerRecord, RecordMetadata, Transaction } from './types';

/** The producer a transaction's sends go through (they share its engines' retries and partitioners). */
export interface TransactionHost {
  sendWithin(batch: ProducerBatch): Promise<RecordMetadata[]>;
}

export class KafkaJSTransaction implements Transaction {
  #ended = false;
  readonly #producer: TransactionHost;
  readonly #engine: KafkaProducer;

  constructor(producer: TransactionHost, engine: KafkaProducer) {
    this.#producer = producer;
    this.#engine = engine;
    ownMembers(this, ['sendBatch', 'send', 'abort', 'commit', 'sendOffsets', 'isActive']);
  }

  isActive(): boolean {
    return !this.#ended;
  }

  send(record: ProducerRecord): Promise<RecordMetadata[]> {
    return this.#guard(() => {
      const { topic, messages, acks, timeout, compression } = record;
      return this.#producer.sendWithin({ acks, timeout, compression, topicMessages: [{ topic, messages }] });
    });
  }

  sendBatch(batch: ProducerBatch): Promise<RecordMetadata[]> {
    return this.#guard(() => this.#producer.sendWithin(batch));
  }

  /** The group's offsets (next offset to read, as strings) commit with the transaction. */
  sendOffsets(offsets: Offsets & { consumerGroupId: string }): Promise<void> {
    return this.#guard(async () => {
      const { consumerGroupId, topics } = offsets;
      if (typeof consumerGroupId !== 'string' || consumerGroupId.length === 0) {
        throw new KafkaJSNonRetriableError('sendOffsets needs a consumerGroupId');
      }
      const list = topics.flatMap(({ topic, partitions }) =>
        partitions.map(({ partition, offset }) => ({ topic, partition, offset: Number(offset) })),
      );
      try {
        await this.#engine.sendOffsetsToTransaction(list, consumerGroupId);
      } catch (err) {
        throw toKafkaJSError(err);
      }
    });
  }

  commit(): Promise<void> {
    return this.#guard(async () => {
      try {
        await this.#engine.commitTransaction();
      } catch (err) {
        throw toKafkaJSError(err);
      }
      this.#ended = true;
    });
  }

  abort(): Promise<void> {
    return this.#guard(async () => {
      try {
        await this.#engine.abortTransaction();
      } catch (err) {
        throw toKafkaJSError(err);
      }
      this.#ended = true;
    });
  }

  #guard<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#ended)
      return Promise.reject(new KafkaJSNonRetriableError('Cannot continue to use transaction once ended'));
    return fn();
  }
}
