/**
 * Keeps a client at full speed from starving the event loop.
 *
 * Native wake-ups arrive through a Node-API thread-safe function, and Node dispatches up to 1,000 queued
 * calls in ONE libuv callback, running microtasks between them. A busy client re-arms its own wake-up
 * from those microtasks (a resolved send produces more, whose delivery reports wake us again), so the
 * loop could go a second or more without running a timer or reading a socket (docs/performance.md has the
 * measurement).
 *
 * The rule: work that arrives after more than TURN_BUDGET_MS without a macrotask of ours is moved to
 * `setImmediate`, which runs after this loop iteration's I/O and before the next one's timers.
 */
import { performance } from 'node:perf_hooks';

/** Longest stretch of client work between two event-loop turns. */
export const TURN_BUDGET_MS = 5;

export class EventLoopTurns {
  #turnAt = performance.now();
  #deferredWake = false;
  readonly #wake: () => void;
  /** The native wake-up callback: runs `onWake` now, or from the next turn when the budget is spent. */
  readonly wake = (): void => {
    if (!this.overdue()) {
      this.#wake();
      return;
    }
    if (this.#deferredWake) return;
    this.#deferredWake = true;
    this.later(() => {
      this.#deferredWake = false;
      this.#wake();
    });
  };

  constructor(onWake: () => void) {
    this.#wake = onWake;
  }

  /** True when this client has worked for longer than the budget without the event loop turning. */
  overdue(): boolean {
    return performance.now() - this.#turnAt > TURN_BUDGET_MS;
  }

  /** Runs `fn` from a macrotask, which counts as a turn. */
  later(fn: () => void): void {
    setImmediate(() => {
      this.#turnAt = performance.now();
      fn();
    });
  }
}
