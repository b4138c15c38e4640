/**
 * One broker behind FaultProxy for a fault test file (the broker advertises the proxy's port, so every
 * connection after bootstrap goes through it), and `scenario()`: an idempotent acks=all producer and an
 * at-least-once group holding a load through a fault, the whole history checked afterwards.
 */
import { startKafka, type KafkaCluster } from '../broker/kafka';
import { FaultProxy } from './proxy';
import { holdLoadThrough } from './scenario';

export interface ProxiedCluster {
  readonly cluster: KafkaCluster;
  readonly proxies: FaultProxy[];
  /** The bootstrap address through the proxies. */
  readonly through: string;
}

/** Consumers notice a dead coordinator within seconds rather than the 45 s default. */
export const GROUP = { sessionTimeoutMs: 10_000, heartbeatIntervalMs: 1000 };

/**
 * Registers the file's hooks: the cluster and its proxies start before the first test, every fault is
 * lifted after each test, and everything stops after the last. Read the fields inside tests only.
 */
export function useProxiedCluster(): ProxiedCluster {
  const state = {} as { cluster: KafkaCluster; proxies: FaultProxy[]; through: string };
  beforeAll(async () => {
    state.cluster = await startKafka({ nodes: 1, proxied: true });
    state.proxies = await Promise.all(state.cluster.proxyRoutes.map((r) => FaultProxy.start(r.port, r.target)));
    state.through = state.cluster.listeners.PROXIED;
  }, 120_000);
  afterEach(async () => {
    for (const p of state.proxies) {
      p.set({ latencyMs: 0, bytesPerSecond: 0, blackhole: false });
      await p.reachable();
    }
  });
  afterAll(async () => {
    await Promise.all((state.proxies ?? []).map((p) => p.close()));
    await state.cluster?.stop();
  });
  return {
    get cluster() {
      return state.cluster;
    },
    get proxies() {
      return state.proxies;
    },
    get through() {
      return state.through;
    },
  };
}

/** Holds the load through `inject` (which applies and lifts the fault) and checks the history. */
export function scenario(
  env: ProxiedCluster,
  fault: string,
  inject: () => Promise<void>,
  extra: { requestTimeoutMs?: number } = {},
): ReturnType<typeof holdLoadThrough> {
  return holdLoadThrough({
    fault,
    clientBootstrap: env.through,
    directBootstrap: env.cluster.bootstrapServers,
    consumer: GROUP,
    producer: extra.requestTimeoutMs ? { requestTimeoutMs: extra.requestTimeoutMs } : undefined,
    inject: async () => {
      await inject();
      return Date.now();
    },
  });
}
