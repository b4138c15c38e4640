/**
 * kafkajs's instrumentation events: `client.on(client.events.X, listener)` returns a function that removes
 * the listener; each event is `{ id, type, timestamp, payload }`, ids counting up across the process. An
 * event without listeners is never built.
 */
import { EventEmitter } from 'node:events';

import { KafkaJSNonRetriableError } from './errors';
import type { InstrumentationEvent } from './types';
import type { Logger } from './logger';

let nextId = 0;

export class Instrumentation<Names extends Record<string, string>> {
  readonly #emitter = new EventEmitter();
  readonly #known: Set<string>;
  /** kafkajs names the events by key when refusing an unknown one: "producer.events.CONNECT, ...". */
  readonly #listing: string;

  constructor(readonly events: Names) {
    this.#known = new Set(Object.values(events));
    const client = Object.values(events)[0].split('.')[0];
    this.#listing = Object.keys(events)
      .map((key) => `${client}.events.${key}`)
      .join(', ');
    // Listeners are the application's: any number of them is fine.
    this.#emitter.setMaxListeners(0);
  }

  on(eventName: string, listener: (event: InstrumentationEvent<unknown>) => void): () => void {
    if (!this.#known.has(eventName)) {
      throw new KafkaJSNonRetriableError(`Event name should be one of ${this.#listing}`);
    }
    this.#emitter.addListener(eventName, listener);
    return () => {
      this.#emitter.removeListener(eventName, listener);
    };
  }

  /** on(), with a listener that throws or rejects logged instead of thrown (the consumer's, as kafkajs). */
  onGuarded(eventName: string, listener: (event: unknown) => unknown, logger: Logger): () => void {
    const failed = (e: unknown): void =>
      logger.error(`Failed to execute listener: ${(e as Error)?.message}`, { eventName });
    return this.on(eventName, (event) => {
      try {
        Promise.resolve(listener(event)).catch(failed);
      } catch (e) {
        failed(e);
      }
    });
  }

  /** True when someone listens: lets callers skip building a payload. */
  has(eventName: Names[keyof Names]): boolean {
    return this.#emitter.listenerCount(eventName) > 0;
  }

  /** `payload` may be a function, called only when someone listens; none stays undefined, as in kafkajs. */
  emit(eventName: Names[keyof Names], payload?: unknown): void {
    if (this.#emitter.listenerCount(eventName) === 0) return;
    const event: InstrumentationEvent<unknown> = {
      // A number at run time, as kafkajs's (its declarations say string).
      id: nextId++ as unknown as string,
      type: eventName,
      timestamp: Date.now(),
      payload: typeof payload === 'function' ? (payload as () => unknown)() : payload,
    };
    this.#emitter.emit(eventName, event);
  }
}

export const PRODUCER_EVENTS = {
  CONNECT: 'producer.connect',
  DISCONNECT: 'producer.disconnect',
  REQUEST: 'producer.network.request',
  REQUEST_TIMEOUT: 'producer.network.request_timeout',
  REQUEST_QUEUE_SIZE: 'producer.network.request_queue_size',
} as const;

export const CONSUMER_EVENTS = {
  HEARTBEAT: 'consumer.heartbeat',
  COMMIT_OFFSETS: 'consumer.commit_offsets',
  GROUP_JOIN: 'consumer.group_join',
  FETCH: 'consumer.fetch',
  FETCH_START: 'consumer.fetch_start',
  START_BATCH_PROCESS: 'consumer.start_batch_process',
  END_BATCH_PROCESS: 'consumer.end_batch_process',
  CONNECT: 'consumer.connect',
  DISCONNECT: 'consumer.disconnect',
  STOP: 'consumer.stop',
  CRASH: 'consumer.crash',
  REBALANCING: 'consumer.rebalancing',
  RECEIVED_UNSUBSCRIBED_TOPICS: 'consumer.received_unsubscribed_topics',
  REQUEST: 'consumer.network.request',
  REQUEST_TIMEOUT: 'consumer.network.request_timeout',
  REQUEST_QUEUE_SIZE: 'consumer.network.request_queue_size',
} as const;

export const ADMIN_EVENTS = {
  CONNECT: 'admin.connect',
  DISCONNECT: 'admin.disconnect',
  REQUEST: 'admin.network.request',
  REQUEST_TIMEOUT: 'admin.network.request_timeout',
  REQUEST_QUEUE_SIZE: 'admin.network.request_queue_size',
} as const;
