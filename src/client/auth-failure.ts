/**
 * Authentication and TLS failures, reported from the calls that wait on them. librdkafka handles a
 * rejected password or an untrusted certificate like any connection error: it logs it, retries with
 * backoff and leaves every pending call to its own timeout (5 minutes for a send, for ever for an
 * iterating consumer). Like the Java client, a client here fails its pending calls with the failure as
 * soon as librdkafka reports it, and fails new ones at once while the failure stands.
 */
import { KafkaError, kafkaError, nativeCode } from '../core/errors';

/**
 * How long a reported failure stands without news: librdkafka reports an identical failure of the same
 * broker again only after 30 s (rd_kafka_broker_set_error), so a failure that persists is re-reported
 * (and re-latched) about when this runs out.
 */
const STANDS_MS = 30_000;

// The broker refused our certificate (mutual TLS): librdkafka sees the TLS alert as a receive failure.
const PEER_REFUSED_CERT =
  /SSL routines::.*alert (bad certificate|certificate required|unknown ca|certificate unknown|certificate expired|certificate revoked|unsupported certificate|access denied)/i;
// TLS errors that are the network's doing, not the credentials': a broker restarting mid-handshake.
const TLS_TRANSIENT = /Disconnected|Connection reset|Broken pipe|timed out/i;
// A SASL exchange cut short by the connection, or a re-authentication (KIP-368) the broker refused as
// out of sequence: librdkafka reconnects and authenticates afresh; nothing says the credentials are bad.
const SASL_TRANSIENT = /Request not valid in current SASL state|Broker transport failure|Disconnected/;

/** The failure as reported to callers, or undefined when `error` is not an authentication/TLS failure. */
export function authFailure(error: { code: string; message: string }): KafkaError | undefined {
  if (error.code === '_AUTHENTICATION') return SASL_TRANSIENT.test(error.message) ? undefined : asKafkaError(error);
  if (error.code === '_SSL' && !TLS_TRANSIENT.test(error.message)) return asKafkaError(error);
  // Reported as _SSL: what failed is the TLS handshake, and _TRANSPORT would say nothing.
  if (error.code === '_TRANSPORT' && PEER_REFUSED_CERT.test(error.message)) return kafkaError('_SSL', error.message);
  return undefined;
}

function asKafkaError(error: { code: string; message: string }): KafkaError {
  return error instanceof KafkaError ? error : kafkaError(nativeCode(error.code), error.message);
}

/** The standing failure of one client, and the pending calls to fail when it trips. */
export class AuthLatch {
  #error: KafkaError | undefined;
  #at = 0;
  readonly #waiters = new Set<(error: KafkaError) => void>();

  /** A failure was reported: every guarded call pending now rejects with it. */
  trip(error: KafkaError): void {
    this.#error = error;
    this.#at = Date.now();
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    for (const reject of waiters) reject(error);
  }

  /** Something succeeded against the cluster: the failure no longer stands. */
  clear(): void {
    this.#error = undefined;
  }

  /** The standing failure, if any. */
  get error(): KafkaError | undefined {
    if (this.#error && Date.now() - this.#at > STANDS_MS) this.#error = undefined;
    return this.#error;
  }

  /** `promise`, rejected early with the failure if one stands or trips while it is pending. */
  guard<T>(promise: Promise<T>): Promise<T> {
    const standing = this.error;
    if (standing) {
      promise.catch(() => undefined);
      return Promise.reject(standing);
    }
    return new Promise<T>((resolve, reject) => {
      const onTrip = (error: KafkaError): void => reject(error);
      this.#waiters.add(onTrip);
      promise.then(
        (value) => {
          this.#waiters.delete(onTrip);
          resolve(value);
        },
        (err: unknown) => {
          this.#waiters.delete(onTrip);
          reject(err as Error);
        },
      );
    });
  }
}
