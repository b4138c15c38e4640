import { EventLoopTurns, TURN_BUDGET_MS } from '../../src/event-loop-turns';

function busyWait(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // spin: stands in for a long stretch of client work on promise jobs
  }
}

test('EventLoopTurns: a wake-up runs at once until the budget is spent, then from the next turn, once', async () => {
  let runs = 0;
  const turns = new EventLoopTurns(() => runs++);
  // A macrotask of ours counts as a turn: start from one.
  await new Promise<void>((resolve) => turns.later(resolve));
  turns.wake();
  expect(runs).toBe(1);
  busyWait(TURN_BUDGET_MS + 5);
  expect(turns.overdue()).toBe(true);
  turns.wake();
  turns.wake();
  turns.wake();
  expect(runs).toBe(1); // deferred, and coalesced into one
  await new Promise((resolve) => setImmediate(resolve));
  expect(runs).toBe(2);
  expect(turns.overdue()).toBe(false);
  turns.wake();
  expect(runs).toBe(3);
});

test('EventLoopTurns: a timer still fires while wake-ups keep arriving from promise jobs', async () => {
  // The shape of the starvation this guards against: every wake-up schedules more work on the
  // microtask queue, which re-arms the wake-up, so without a deferral no timer would run until the
  // work ran out (here: 300 wake-ups of 1 ms each).
  let wakesBeforeTimer = -1;
  let wakes = 0;
  setTimeout(() => (wakesBeforeTimer = wakes), 1);
  const turns: EventLoopTurns = new EventLoopTurns(() => {
    wakes++;
    busyWait(1);
    if (wakes < 300) queueMicrotask(turns.wake);
  });
  turns.wake();
  while (wakes < 300) await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setTimeout(resolve, 5));
  expect(wakesBeforeTimer).toBeGreaterThan(0);
  expect(wakesBeforeTimer).toBeLessThan(100);
});
