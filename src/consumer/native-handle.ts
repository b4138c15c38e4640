/** A KafkaConsumer's native handle, for KafkaProducer.sendOffsetsToTransaction (not public API). */
import type { NativeConsumer } from '../native/addon';

const natives = new WeakMap<object, NativeConsumer>();

/** The native handle of a KafkaConsumer; TypeError for anything else. */
export function nativeConsumerOf(consumer: unknown): NativeConsumer {
  const native = typeof consumer === 'object' && consumer !== null ? natives.get(consumer) : undefined;
  if (!native) throw new TypeError('consumer must be a KafkaConsumer');
  return native;
}

/** Records the native handle of a consumer being constructed. */
export function registerNativeConsumer(consumer: object, native: NativeConsumer): void {
  natives.set(consumer, native);
}
