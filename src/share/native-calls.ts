/**
 * The share consumer's native calls as promises. The addon returns a call id and settles it later
 * through one callback (native/clients/share_consumer.h). The promises live in JS, not as napi_deferreds: a
 * deferred still pending when a worker thread is terminated can never be settled or freed, and
 * AddressSanitizer counted each one as a leak.
 */
import {
  addon,
  type NativeAcks,
  type NativeConfig,
  type NativeShareBatch,
  type NativeShareConsumer,
  type NativeTopicPartitions,
} from '../native/addon';

type Settlers = { resolve: (value: unknown) => void; reject: (reason: unknown) => void };

export function shareNative(config: NativeConfig, wake: () => void): NativeShareConsumer {
  const pending = new Map<number, Settlers>();
  const raw = new addon.ShareConsumer(config, wake, settler(pending));
  // A refused call (closed) throws synchronously: it becomes a rejected promise like the others.
  const call = <T>(start: () => number): Promise<T> => {
    let id: number;
    try {
      id = start();
    } catch (err) {
      return Promise.reject(err);
    }
    if (id === 0) return Promise.resolve(undefined as T);
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
    });
  };
  return {
    ref: () => raw.ref(),
    unref: () => raw.unref(),
    name: () => raw.name(),
    pollEvents: () => raw.pollEvents(),
    setOauthBearerToken: (value, expiresAtMs, principal, extensions) =>
      raw.setOauthBearerToken(value, expiresAtMs, principal, extensions),
    setOauthBearerTokenFailure: (message) => raw.setOauthBearerTokenFailure(message),
    subscribe: (topics) => call<void>(() => raw.subscribe(topics)),
    unsubscribe: () => call<void>(() => raw.unsubscribe()),
    poll: (timeoutMs, acks) => call<NativeShareBatch | undefined>(() => raw.poll(timeoutMs, acks)),
    commit: (timeoutMs, acks) => call<NativeTopicPartitions | undefined>(() => raw.commit(timeoutMs, acks)),
    close: (acks: NativeAcks | null) => call<void>(() => raw.close(acks)),
  };
}

/**
 * The settle callback, made outside shareNative's scope on purpose: native code holds it strongly, and a
 * closure created in that scope would share its context with the methods that reference `raw` (V8 keeps
 * one context per scope), so the native wrapper would root itself and never be collected: an abandoned
 * share consumer would never be closed. Here it reaches only the promises of calls out.
 */
function settler(pending: Map<number, Settlers>): (id: number, rejected: boolean, value: unknown) => void {
  return (id, rejected, value) => {
    const p = pending.get(id);
    if (!p) return;
    pending.delete(id);
    if (rejected) p.reject(value);
    else p.resolve(value);
  };
}
