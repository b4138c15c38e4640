/**
 * Requests sent to librdkafka whose answers come back later, matched by id: the consumer's commits and
 * the admin client's requests. The answer arrives on the client's event queue; this settles the promise
 * it belongs to, or rejects it with `onTimeout()` when the broker has not answered in time.
 */
interface Entry<T> {
  resolve: (value: T) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout | undefined;
}

export class PendingRequests<T> {
  readonly #entries = new Map<number, Entry<T>>();
  #nextId = 1;

  /** `onChange` runs after every change of `size` (clients keep the event loop alive while size > 0). */
  constructor(private readonly onChange: () => void = () => undefined) {}

  get size(): number {
    return this.#entries.size;
  }

  /**
   * Sends a request under a fresh id. A throw from `send` rejects the returned promise and registers
   * nothing. With `timeoutMs`, an unanswered request rejects with `onTimeout()` (a late answer is ignored).
   */
  start(send: (id: number) => void, timeoutMs?: number, onTimeout?: () => Error): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const id = this.#nextId++;
      send(id);
      let timer: NodeJS.Timeout | undefined;
      if (timeoutMs !== undefined && onTimeout) {
        timer = setTimeout(() => {
          this.#entries.delete(id);
          this.onChange();
          reject(onTimeout());
        }, timeoutMs);
      }
      this.#entries.set(id, { resolve, reject, timer });
      this.onChange();
    });
  }

  /** Settles request `id` with its answer; false when it is not pending (timed out, or rejected). */
  settle(id: number, error: Error | undefined, value: T): boolean {
    const entry = this.#entries.get(id);
    if (!entry) return false;
    this.#entries.delete(id);
    clearTimeout(entry.timer);
    if (error) entry.reject(error);
    else entry.resolve(value);
    this.onChange();
    return true;
  }

  /** Rejects every pending request with `error` (the client closes, or the cluster refuses us). */
  rejectAll(error: Error): void {
    if (this.#entries.size === 0) return;
    const entries = [...this.#entries.values()];
    this.#entries.clear();
    for (const entry of entries) {
      clearTimeout(entry.timer);
      entry.reject(error);
    }
    this.onChange();
  }
}
