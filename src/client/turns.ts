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
 * `setImmediate`, which runs after this loop iteration's I/O and before the next one's timers. The
 * budget and the deferred work are shared by every client in the process (see below).
 */
import { performance } from 'node:perf_hooks';

/** Longest stretch of client work between two event-loop turns, for all clients of the process. */
export const TURN_BUDGET_MS = 5;

/**
 * The budget is shared by every client of the process: with 80 clients woken in the same turn, a budget
 * each let the loop go 80 × 5 ms without a turn. Work deferred by any client goes to one queue, run from
 * one setImmediate at a time, first come first served, until the budget is spent; the rest waits for the
 * next turn.
 */
let turnAt = performance.now();
const deferred: Array<() => void> = [];
let head = 0;
let scheduled = false;

function runDeferred(): void {
  scheduled = false;
  turnAt = performance.now();
  while (head < deferred.length) {
    if (performance.now() - turnAt > TURN_BUDGET_MS) {
      schedule();
      break;
    }
    const fn = deferred[head];
    deferred[head++] = noop; // releases the callback before it runs (it may defer again)
    try {
      fn();
    } catch (err) {
      // The others' work must not be stranded behind an exception (which still surfaces as uncaught).
      schedule();
      throw err;
    }
  }
  if (head === deferred.length) {
    deferred.length = 0;
    head = 0;
  } else if (head > 1024 && head * 2 > deferred.length) {
    deferred.splice(0, head);
    head = 0;
  }
}

function noop(): void {}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  setImmediate(runDeferred);
}

export class EventLoopTurns {
  #deferredWake = false;
  readonly #wake: () => void;
  /** The native wake-up callback: runs `onWake` now, or from a later turn when the budget is spent. */
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

  /** True when clients have worked for longer than the budget without the event loop turning. */
  overdue(): boolean {
    return performance.now() - turnAt > TURN_BUDGET_MS;
  }

  /** Runs `fn` from a macrotask, which counts as a turn; shares that turn's budget with other clients. */
  later(fn: () => void): void {
    deferred.push(fn);
    schedule();
  }
}
