/**
 * Records handed to librdkafka, by the opaque id their delivery report carries. Ids are consecutive
 * within one native produce call, so each call is one run (an array of its records) instead of one Map
 * entry per record: runs take 0.70× the producer's CPU per record of a Map entry each
 * (docs/internals/performance-journal.md).
 */
interface Run<T> {
  firstId: number;
  items: Array<T | undefined>;
  live: number;
}

export class InFlightRuns<T> {
  /** Runs in increasing firstId order; those before #head are finished. */
  #runs: Array<Run<T>> = [];
  #head = 0;
  #size = 0;

  get size(): number {
    return this.#size;
  }

  /** Registers ids firstId..firstId+items.length-1; undefined items (failed at once) are not in flight. */
  add(firstId: number, items: Array<T | undefined>): void {
    let live = 0;
    for (const item of items) if (item !== undefined) live++;
    if (live === 0) return;
    this.#runs.push({ firstId, items, live });
    this.#size += live;
  }

  /** Removes and returns the record with this id (undefined if unknown or already taken). */
  take(id: number): T | undefined {
    const run = this.#find(id);
    if (!run) return undefined;
    const i = id - run.firstId;
    const item = run.items[i];
    if (item === undefined) return undefined;
    run.items[i] = undefined;
    run.live--;
    this.#size--;
    if (run.live === 0) this.#dropFinished();
    return item;
  }

  /** Removes and returns everything still in flight. */
  takeAll(): T[] {
    const out: T[] = [];
    for (let r = this.#head; r < this.#runs.length; r++) {
      for (const item of this.#runs[r].items) if (item !== undefined) out.push(item);
    }
    this.#runs = [];
    this.#head = 0;
    this.#size = 0;
    return out;
  }

  #find(id: number): Run<T> | undefined {
    const runs = this.#runs;
    // Reports mostly arrive in order: the oldest live run is the usual answer.
    const first = runs[this.#head];
    if (first && id >= first.firstId && id < first.firstId + first.items.length) return first;
    let lo = this.#head;
    let hi = runs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const run = runs[mid];
      if (id < run.firstId) hi = mid - 1;
      else if (id >= run.firstId + run.items.length) lo = mid + 1;
      else return run;
    }
    return undefined;
  }

  #dropFinished(): void {
    while (this.#head < this.#runs.length && this.#runs[this.#head].live === 0) this.#head++;
    // Compact once the finished prefix dominates, so the array does not grow without bound.
    if (this.#head > 64 && this.#head * 2 > this.#runs.length) {
      this.#runs = this.#runs.slice(this.#head);
      this.#head = 0;
    }
  }
}
