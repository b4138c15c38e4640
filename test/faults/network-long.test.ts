/**
 * The network faults that take minutes (the scheduled tier: CONTRIBUTING.md): half-open connections,
 * noticed only when a request times out, and a broker unreachable for a minute. Same load and history
 * checks as network.test.ts (test/faults/proxied.ts).
 */
import { scenario, useProxiedCluster } from './proxied';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const env = useProxiedCluster();

test('half-open connections: the broker side vanishes silently, twice', async () => {
  let cut = 0;
  await scenario(
    env,
    'half-open connections, twice 8 s apart (request timeout 5 s)',
    async () => {
      for (const p of env.proxies) cut += p.halfOpenAll();
      await sleep(8000);
      for (const p of env.proxies) cut += p.halfOpenAll();
      await sleep(8000);
    },
    { requestTimeoutMs: 5000 },
  );
  expect(cut).toBeGreaterThan(2);
});

test('broker unreachable for 60 s (connections refused), then back', async () => {
  await scenario(env, 'broker unreachable 60 s', async () => {
    for (const p of env.proxies) await p.unreachable();
    await sleep(60_000);
    for (const p of env.proxies) await p.reachable();
  });
});
