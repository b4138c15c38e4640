/** A share consumer's acknowledgements as they cross to native: the type numbers and the pending list. */
import type { NativeAcks } from '../native/addon';

export { ACK_TYPES } from '../core/bounds';

/** Acknowledgements gathered since the last native call, in the form they cross in. */
export class PendingAcks {
  #topics: string[] = [];
  #index = new Map<string, number>();
  #ints: number[] = [];
  #offsets: number[] = [];

  add(topic: string, partition: number, offset: number, type: number): void {
    let t = this.#index.get(topic);
    if (t === undefined) {
      t = this.#topics.length;
      this.#topics.push(topic);
      this.#index.set(topic, t);
    }
    this.#ints.push(t, partition, type);
    this.#offsets.push(offset);
  }

  /** The acknowledgements to send, or null; the list starts over. */
  take(): NativeAcks | null {
    if (this.#offsets.length === 0) return null;
    const acks: NativeAcks = [this.#topics, Int32Array.from(this.#ints), Float64Array.from(this.#offsets)];
    this.#topics = [];
    this.#index.clear();
    this.#ints = [];
    this.#offsets = [];
    return acks;
  }
}
