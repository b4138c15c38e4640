import { performance } from 'node:perf_hooks';

import { EventLoopTurns, TURN_BUDGET_MS } from '../../src/client/turns';

function busyWait(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // spin: stands in for a long stretch of client work on promise jobs
  }
}

test('EventLoopTurns: a wake-up runs at once until the budget is spent, then from the next turn, once', async () => {
  // The budget's clock is the test's own: with the real one, "still within the budget" between two
  // statements failed whenever the machine paused this process for 5 ms there (a busy 2-core machine can).
  let now = performance.now();
  const clock = jest.spyOn(performance, 'now').mockImplementation(() => now);
  let runs = 0;
  const turns = new EventLoopTurns(() => runs++);
  try {
    // A macrotask of ours counts as a turn: start from one.
    await new Promise<void>((resolve) => turns.later(resolve));
    turns.wake();
    expect(runs).toBe(1);
    now += TURN_BUDGET_MS + 5;
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
  } finally {
    clock.mockRestore();
    // The budget's start is shared by every client of the process: start it again from the real clock.
    await new Promise<void>((resolve) => turns.later(resolve));
  }
});

test('EventLoopTurns: a timer still fires while wake-ups keep arriving from promise jobs', async () => {
  // The shape of the starvation this guards against: every wake-up schedules more work on the
  // microtask queue, which re-arms the wake-up, so without a deferral no timer would run until the
  // work ran out (here: 300 wake-ups of 1 ms each).
  let wakesBeforeTimer = -1;
  let wakes = 0;
  const turns: EventLoopTurns = new EventLoopTurns(() => {
    wakes++;
    // Armed once the work has begun: a slow process (ASan) must not fire it before the first wake-up.
    if (wakes === 1) setTimeout(() => (wakesBeforeTimer = wakes), 1);
    busyWait(1);
    if (wakes < 300) queueMicrotask(turns.wake);
  });
  turns.wake();
  while (wakes < 300) await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setTimeout(resolve, 5));
  expect(wakesBeforeTimer).toBeGreaterThan(0);
  expect(wakesBeforeTimer).toBeLessThan(100);
});

test('EventLoopTurns: deferred work of many clients shares one budget; timers run between', async () => {
  // 80 clients each deferring 2 ms of work in the same turn: with a budget per client, the 80 deferred
  // callbacks all ran in one immediate phase (160 ms without a turn).
  let timerRanAfter = -1;
  let done = 0;
  const clients = Array.from({ length: 80 }, () => new EventLoopTurns(() => undefined));
  for (const c of clients)
    c.later(() => {
      // Armed from the first callback: only a later turn's timer phase can run it.
      if (done === 0) setTimeout(() => (timerRanAfter = done), 1);
      busyWait(2);
      done++;
    });
  while (done < 80) await new Promise((resolve) => setTimeout(resolve, 1));
  expect(timerRanAfter).toBeGreaterThan(0);
  expect(timerRanAfter).toBeLessThan(20);
});
