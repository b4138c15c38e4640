/**
 * A TCP proxy on loopback that puts the faults of real networks between the client and one broker:
 * added latency, a bandwidth limit, a black hole (connections accepted, nothing ever answered),
 * connections reset in the middle of a request or a response, half-open connections (the broker's side
 * gone without the client being told) and an unreachable broker (connections refused).
 *
 * The brokers advertise the proxy's port (test/broker/kafka.ts `proxied`), so every connection the client
 * makes after bootstrap goes through one of these.
 */
import * as net from 'node:net';

export interface LinkFaults {
  /** Delay added to every chunk, each direction. */
  latencyMs: number;
  /** Bytes per second per direction per connection; 0 = unlimited. */
  bytesPerSecond: number;
  /**
   * Nothing is forwarded in either direction, and new connections are accepted but never connected
   * through. Held bytes are delivered when the black hole ends, as a network partition that heals does
   * (TCP retransmits): the client, not the proxy, decides when a connection is dead.
   */
  blackhole: boolean;
}

export interface ProxyStats {
  connections: number;
  open: number;
  resets: number;
  /** Chunks cut by resetMidStream (each followed by a reset of its connection). */
  cuts: number;
  bytesToBroker: number;
  bytesToClient: number;
}

/** Bytes waiting in one direction of one connection, released in order. */
class Pipe {
  private queue: Array<{ at: number; chunk: Buffer }> = [];
  private timer: NodeJS.Timeout | undefined;
  private nextFree = 0;
  private held: Buffer[] = [];

  constructor(
    private readonly proxy: FaultProxy,
    private readonly to: net.Socket,
    private readonly count: (n: number) => void,
  ) {}

  push(chunk: Buffer): void {
    const f = this.proxy.faults;
    if (f.blackhole) {
      this.held.push(chunk);
      return;
    }
    const now = Date.now();
    const sendTime = f.bytesPerSecond > 0 ? (chunk.length * 1000) / f.bytesPerSecond : 0;
    const at = Math.max(now + f.latencyMs, this.nextFree) + sendTime;
    this.nextFree = at;
    this.queue.push({ at, chunk });
    this.schedule();
  }

  /** Delivers what a black hole held. */
  release(): void {
    const held = this.held;
    this.held = [];
    for (const chunk of held) this.push(chunk);
  }

  private schedule(): void {
    if (this.timer || this.queue.length === 0) return;
    const wait = this.queue[0].at - Date.now();
    if (wait <= 0) {
      this.flush();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, wait);
  }

  private flush(): void {
    const now = Date.now();
    while (this.queue.length > 0 && this.queue[0].at <= now) {
      const { chunk } = this.queue.shift()!;
      if (this.to.destroyed) return;
      this.to.write(chunk);
      this.count(chunk.length);
    }
    this.schedule();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.queue = [];
    this.held = [];
  }
}

interface Link {
  client: net.Socket;
  broker: net.Socket | undefined;
  up: Pipe | undefined;
  down: Pipe | undefined;
  /** Bytes from the client before the broker connection exists (black hole at accept). */
  early: Buffer[];
  /** halfOpenAll() cut its broker side; it is never connected through again. */
  halfOpen: boolean;
}

type Direction = 'request' | 'response';

export class FaultProxy {
  faults: LinkFaults = { latencyMs: 0, bytesPerSecond: 0, blackhole: false };
  readonly stats: ProxyStats = { connections: 0, open: 0, resets: 0, cuts: 0, bytesToBroker: 0, bytesToClient: 0 };
  private server: net.Server | undefined;
  private readonly links = new Set<Link>();
  /** Cuts armed and not made yet, per direction: each waits for the next chunk going that way. */
  private readonly armedCuts: Record<Direction, number> = { request: 0, response: 0 };

  private constructor(
    readonly port: number,
    readonly target: number,
  ) {}

  static async start(port: number, target: number): Promise<FaultProxy> {
    const proxy = new FaultProxy(port, target);
    await proxy.listen();
    return proxy;
  }

  get listening(): boolean {
    return this.server !== undefined;
  }

  /** Changes the link; ending a black hole delivers what it held. */
  set(faults: Partial<LinkFaults>): void {
    const wasBlackhole = this.faults.blackhole;
    this.faults = { ...this.faults, ...faults };
    if (wasBlackhole && !this.faults.blackhole) {
      for (const link of this.links) {
        if (!link.broker) this.connectThrough(link);
        link.up?.release();
        link.down?.release();
      }
    }
  }

  /** Resets (RST) every open connection now. */
  resetAll(): number {
    const n = this.links.size;
    for (const link of [...this.links]) this.reset(link);
    return n;
  }

  /**
   * The next `count` chunks going the given way are cut: half of the chunk is delivered, then both
   * sides are reset. A request cut this way reaches the broker incomplete; a response cut this way was
   * processed by the broker but its answer never arrives whole (the case idempotence exists for). Cuts
   * add up: one armed while another waits for traffic is made after it (`armed` counts those left).
   */
  resetMidStream(direction: Direction, count = 1): void {
    this.armedCuts[direction] += count;
  }

  /** Cuts armed by resetMidStream and not made yet. */
  get armed(): number {
    return this.armedCuts.request + this.armedCuts.response;
  }

  /**
   * Half-open connections: every open connection loses its broker side without the client being told
   * (no FIN, no RST: a broker host that vanished). What the client sends is swallowed; it must notice by
   * its own timeouts. New connections work.
   */
  halfOpenAll(): number {
    let n = 0;
    for (const link of this.links) {
      if (link.halfOpen) continue;
      n++;
      link.up?.stop();
      link.down?.stop();
      const broker = link.broker;
      if (broker) {
        broker.removeAllListeners('close');
        broker.removeAllListeners('data');
        broker.on('error', () => undefined);
        broker.destroy();
      }
      link.broker = undefined;
      link.up = undefined;
      link.down = undefined;
      link.client.removeAllListeners('data');
      link.client.on('data', () => undefined);
      link.early = [];
      link.halfOpen = true;
    }
    return n;
  }

  /** The broker becomes unreachable: the port refuses connections and open ones are reset. */
  async unreachable(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.resetAll();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Reachable again, on the same port. */
  async reachable(): Promise<void> {
    if (!this.server) await this.listen();
  }

  async close(): Promise<void> {
    await this.unreachable();
  }

  private listen(): Promise<void> {
    const server = net.createServer((client) => this.accept(client));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  }

  private accept(client: net.Socket): void {
    this.stats.connections++;
    this.stats.open++;
    const link: Link = { client, broker: undefined, up: undefined, down: undefined, early: [], halfOpen: false };
    this.links.add(link);
    client.setNoDelay(true);
    client.on('error', () => undefined);
    client.on('close', () => this.drop(link));
    client.on('data', (chunk: Buffer) => this.fromClient(link, chunk));
    if (!this.faults.blackhole) this.connectThrough(link);
  }

  private connectThrough(link: Link): void {
    if (link.halfOpen || link.client.destroyed) return;
    const broker = net.connect({ host: '127.0.0.1', port: this.target });
    broker.setNoDelay(true);
    link.broker = broker;
    link.up = new Pipe(this, broker, (n) => (this.stats.bytesToBroker += n));
    link.down = new Pipe(this, link.client, (n) => (this.stats.bytesToClient += n));
    broker.on('error', () => undefined);
    broker.on('close', () => {
      if (this.links.has(link)) link.client.destroy();
    });
    broker.on('data', (chunk: Buffer) => this.fromBroker(link, chunk));
    for (const chunk of link.early) link.up.push(chunk);
    link.early = [];
  }

  private fromClient(link: Link, chunk: Buffer): void {
    if (!link.up) {
      link.early.push(chunk);
      return;
    }
    if (this.cut('request', link, link.up, chunk)) return;
    link.up.push(chunk);
  }

  private fromBroker(link: Link, chunk: Buffer): void {
    if (!link.down) return;
    if (this.cut('response', link, link.down, chunk)) return;
    link.down.push(chunk);
  }

  private cut(direction: Direction, link: Link, pipe: Pipe, chunk: Buffer): boolean {
    if (this.armedCuts[direction] <= 0 || chunk.length < 2) return false;
    this.armedCuts[direction]--;
    this.stats.cuts++;
    const target = direction === 'request' ? link.broker : link.client;
    // Written straight through (no latency) so the half arrives before the reset.
    target?.write(chunk.subarray(0, chunk.length >> 1), () => this.reset(link));
    pipe.stop();
    return true;
  }

  private reset(link: Link): void {
    if (!this.links.has(link)) return;
    this.stats.resets++;
    this.drop(link);
    link.client.resetAndDestroy();
    link.broker?.resetAndDestroy();
  }

  private drop(link: Link): void {
    if (!this.links.delete(link)) return;
    this.stats.open--;
    link.up?.stop();
    link.down?.stop();
    link.broker?.destroy();
    link.client.destroy();
  }
}
