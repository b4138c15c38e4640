/** What the admin calls (topics.ts, groups.ts, records.ts, access.ts) use of their KafkaAdmin. */
import type { NativeAdmin, NativeAdminResult, NativeAdminResultOf } from '../native/addon';

export interface AdminContext {
  readonly native: NativeAdmin;
  /** Throws _DESTROY after close(), or the error that made the client unusable. */
  checkUsable(): void;
  /**
   * Sends the request `kind` (the NativeAdmin method `send` calls); its result (or librdkafka's
   * _TIMED_OUT at the request's timeout) settles it.
   */
  call<K extends NativeAdminResult['kind']>(kind: K, send: (id: number) => void): Promise<NativeAdminResultOf<K>>;
  /** A call that no result event answers (metadata): it rejects too when the broker refuses us. */
  guard<T>(promise: Promise<T>): Promise<T>;
}
