/**
 * `node:diagnostics_channel` channels every client publishes on, so APM agents and OpenTelemetry
 * instrumentations observe sends, receives, processing, commits and rebalances without patching. The
 * names and context objects are part of the public API (docs/observability.md).
 *
 * Cost: nothing is built or published unless a channel has subscribers (one boolean read per call).
 * Runtimes without `tracingChannel` (older Bun/Deno) get inert channels.
 */
import * as dc from 'node:diagnostics_channel';
import type {
  ConsumerRecord,
  HeaderValue,
  HeadersInput,
  RecordMetadata,
  TopicPartition,
  TopicPartitionOffset,
} from '../core/types';

/** Channel names: `tracing:<name>:start|end|asyncStart|asyncEnd|error` for the traced ones. */
export const CHANNELS = {
  /** Traced: one send() or sendBatch() call, from the call to its acknowledgement. */
  send: 'kafka-napi:send',
  /** Traced: one commit() call. */
  commit: 'kafka-napi:commit',
  /** Traced: one rebalance as the application sees it (its onPartitionsAssigned/Revoked included). */
  rebalance: 'kafka-napi:rebalance',
  /** Plain: records handed to the application (poll, batches, for await, stream). */
  receive: 'kafka-napi:receive',
  /** Plain pair: one record's `for await` loop body, from its delivery to the request for the next. */
  processStart: 'kafka-napi:process:start',
  processEnd: 'kafka-napi:process:end',
} as const;

/** Context of `kafka-napi:send`. Subscribers of `start` may add headers (trace context) to `headers`. */
export interface SendContext {
  /** librdkafka's instance name of the producer, e.g. 'my-app#producer-1'. */
  client: string;
  topic: string;
  /** send(): the one record; sendBatch(): every record of the batch. */
  records: ReadonlyArray<{ key?: unknown; value: unknown; partition?: number; headers?: HeadersInput }>;
  /**
   * Headers added to every record of the call, after its own: what a `start` subscriber sets here (e.g.
   * `traceparent`) is sent. Empty unless a subscriber writes to it.
   */
  headers: Record<string, HeaderValue>;
  /** Set when the call settles: the acknowledgement (send) or acknowledgements (sendBatch), or the error. */
  result?: RecordMetadata | RecordMetadata[];
  error?: unknown;
}

/** Context of `kafka-napi:receive`: the records one poll (or iteration step) hands the application. */
export interface ReceiveContext {
  client: string;
  groupId: string | undefined;
  /** The records as the application gets them (headers carry the producer's trace context, if any). */
  records: ReadonlyArray<ConsumerRecord<unknown, unknown>>;
}

/** The same object at `process:start` and `process:end`, so subscribers can pair them. */
export interface ProcessContext {
  client: string;
  groupId: string | undefined;
  record: ConsumerRecord<unknown, unknown>;
}

/** What the commit channel publishes for one commit. */
export interface CommitContext {
  client: string;
  groupId: string | undefined;
  /** undefined: every record handed out so far. */
  offsets: TopicPartitionOffset[] | undefined;
  error?: unknown;
}

/** What the rebalance channel publishes for one assignment or revocation. */
export interface RebalanceContext {
  client: string;
  groupId: string | undefined;
  kind: 'assign' | 'revoke';
  partitions: TopicPartition[];
  error?: unknown;
}

interface Traced<C extends object> {
  readonly hasSubscribers: boolean;
  tracePromise<T>(fn: () => Promise<T>, context: C): Promise<T>;
  /** `fn` traced when anything subscribes, the context built only then; else `fn` alone. */
  traceIfSubscribed<T>(fn: () => Promise<T>, context: () => C): Promise<T>;
}

interface Plain<C> {
  readonly hasSubscribers: boolean;
  publish(context: C): void;
}

function traced<C extends object>(name: string): Traced<C> {
  if (typeof dc.tracingChannel !== 'function') {
    return { hasSubscribers: false, tracePromise: (fn) => fn(), traceIfSubscribed: (fn) => fn() };
  }
  const ch = dc.tracingChannel<unknown, C>(name);
  const { start, end, asyncStart, asyncEnd, error } = ch;
  return {
    // Per part (TracingChannel.hasSubscribers is missing before Node 20.13), without a closure: this is
    // read on every send() and commit().
    get hasSubscribers() {
      return (
        start.hasSubscribers ||
        end.hasSubscribers ||
        asyncStart.hasSubscribers ||
        asyncEnd.hasSubscribers ||
        error.hasSubscribers
      );
    },
    tracePromise: (fn, context) => ch.tracePromise(fn, context),
    traceIfSubscribed(fn, context) {
      return this.hasSubscribers ? ch.tracePromise(fn, context()) : fn();
    },
  };
}

function plain<C>(name: string): Plain<C> {
  const ch = dc.channel(name);
  return {
    get hasSubscribers() {
      return ch.hasSubscribers;
    },
    publish: (context) => ch.publish(context),
  };
}

export const sendChannel = traced<SendContext>(CHANNELS.send);
export const commitChannel = traced<CommitContext>(CHANNELS.commit);
export const rebalanceChannel = traced<RebalanceContext>(CHANNELS.rebalance);
export const receiveChannel = plain<ReceiveContext>(CHANNELS.receive);
export const processStartChannel = plain<ProcessContext>(CHANNELS.processStart);
export const processEndChannel = plain<ProcessContext>(CHANNELS.processEnd);

/**
 * `kafka-napi:process:start|end` around each `for await` loop body of one iterator: `begin` when a record
 * is handed over, `end` when the next one is asked for or the loop exits. Nothing is built without
 * subscribers.
 */
export class ProcessSpans {
  #processing: ProcessContext | undefined;

  constructor(
    private readonly client: string,
    private readonly groupId: string | undefined,
  ) {}

  begin<R extends ConsumerRecord<unknown, unknown>>(record: R): R {
    if (processStartChannel.hasSubscribers || processEndChannel.hasSubscribers) {
      this.#processing = { client: this.client, groupId: this.groupId, record };
      processStartChannel.publish(this.#processing);
    }
    return record;
  }

  end(): void {
    if (this.#processing === undefined) return;
    processEndChannel.publish(this.#processing);
    this.#processing = undefined;
  }
}
