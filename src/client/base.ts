/**
 * What every client shares: the native handle and its wake-ups, the open/closing state, keeping the event
 * loop alive exactly while work is outstanding, the logger, client events, the authentication-failure
 * latch and the warning for a client collected without close(). KafkaProducer, KafkaConsumer and
 * KafkaAdmin extend it and add their own data paths.
 */
import { AuthLatch } from './auth-failure';
import { dispatchEvents, logWriter, type LogWriter } from './events';
import { destroyedError, type KafkaError } from '../core/errors';
import { EventLoopTurns } from './turns';
import type { NativeClientBase, NativeEvent } from '../native/addon';
import { tokenRefreshHandler } from './oauthbearer';
import { clientTelemetry, telemetryWantsStats, watchTelemetry, type ClientTelemetry } from '../observe/otel/telemetry';
import type { RdKafkaStats } from '../core/stats';
import type { CommonOptions } from '../core/types';

/** Keeps a FinalizationRegistry entry per client: see warnUnclosed. */
const unclosed = new FinalizationRegistry<string>((kind) => {
  process.emitWarning(
    `${kind} was garbage-collected without close(); it was closed in the background. Call close() (or use \`await using\`).`,
    { code: 'KAFKA_NAPI_UNCLOSED' },
  );
});

export type ClientKind = 'KafkaProducer' | 'KafkaConsumer' | 'KafkaAdmin' | 'KafkaShareConsumer';

export abstract class KafkaClient<N extends NativeClientBase> implements AsyncDisposable {
  /** @internal */
  protected readonly native: N;
  /** @internal */
  protected readonly auth = new AuthLatch();
  /**
   * Native holds the wake callback weakly (so an abandoned client can be collected): the client holds it
   * strongly, through this.
   * @internal
   */
  protected readonly turns: EventLoopTurns;
  readonly #kind: ClientKind;
  readonly #tokenRefresh: () => void;
  readonly #log: LogWriter;
  readonly #telemetry: ClientTelemetry | undefined;
  readonly #onStats: ((stats: RdKafkaStats) => void) | undefined;
  /** librdkafka's instance name ('my-app#producer-1'): logs, statistics and diagnostics channels. @internal */
  protected readonly clientName: string;
  #closing: Promise<void> | undefined;
  #reffed = false;

  /**
   * `create` makes the native client, given the wake-up callback it must hold; `lagStats`: an OpenTelemetry
   * meter provider is registered, so a consumer should report statistics (src/observe/otel/telemetry.ts).
   */
  protected constructor(kind: ClientKind, options: CommonOptions, create: (wake: () => void, lagStats: boolean) => N) {
    this.#kind = kind;
    this.turns = new EventLoopTurns(() => {
      watchTelemetry();
      this.onWake();
    });
    this.native = create(this.turns.wake, telemetryWantsStats());
    this.clientName = this.native.name();
    const groupId = (options as { groupId?: unknown }).groupId;
    this.#telemetry = clientTelemetry(this.clientName, typeof groupId === 'string' ? groupId : undefined);
    const user = options.onStats;
    const lag = this.#telemetry?.stats;
    this.#onStats =
      user && lag
        ? (stats) => {
            lag(stats);
            user(stats);
          }
        : (user ?? lag);
    this.#log = logWriter(options.logger, this.clientName);
    this.#tokenRefresh = tokenRefreshHandler(this.native, options.sasl, (m) => this.log('error', m));
    unclosed.register(this, kind, this);
  }

  /** Idempotent; see each client for what it finishes first. */
  abstract close(): Promise<void>;

  /** `await using`: close() at the end of the scope. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** librdkafka signalled one of the client's queues. @internal */
  protected abstract onWake(): void;

  /** What to do when librdkafka reports an authentication/TLS failure (src/client/auth-failure.ts). @internal */
  protected abstract onAuthFailure(error: KafkaError): void;

  /** True once close() was called. @internal */
  protected get closing(): boolean {
    return this.#closing !== undefined;
  }

  /** Runs `run` once, on the first close(); every call returns its promise. @internal */
  protected closeOnce(run: () => Promise<void>): Promise<void> {
    if (!this.#closing) {
      unclosed.unregister(this);
      this.#telemetry?.closed();
      this.#closing = run();
    }
    return this.#closing;
  }

  /** Throws _DESTROY once close() was called. @internal */
  protected checkOpen(): void {
    if (this.#closing) throw destroyedError(this.#kind);
  }

  /** checkOpen, and fails at once while the cluster refuses our credentials. @internal */
  protected checkUsable(): void {
    this.checkOpen();
    const auth = this.auth.error;
    if (auth) throw auth;
  }

  /** The error pending work rejects with when the client closes. @internal */
  protected destroyedError(): KafkaError {
    return destroyedError(this.#kind);
  }

  /**
   * The event loop stays alive exactly while the client has outstanding work (requests waiting, records
   * in flight): a client with nothing to do never keeps a process from exiting. @internal
   */
  protected setBusy(busy: boolean): void {
    if (busy === this.#reffed) return;
    this.#reffed = busy;
    if (busy) this.native.ref();
    else this.native.unref();
  }

  /** The user's logger, or warnings and errors on stderr when there is none. @internal */
  protected log(level: 'error' | 'warn' | 'info' | 'debug', message: string): void {
    this.#log(level, message);
  }

  /** Logs, statistics, token refreshes and client errors from librdkafka. @internal */
  protected dispatch(events: NativeEvent[], onFatal?: (error: Error) => void): void {
    if (events.length === 0) return;
    dispatchEvents(events, {
      log: this.#log,
      onStats: this.#onStats,
      onFatal,
      onTokenRefresh: this.#tokenRefresh,
      onAuthFailure: (error) => this.onAuthFailure(error),
    });
  }
}
