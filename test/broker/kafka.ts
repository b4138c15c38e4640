/**
 * A real Apache Kafka broker (KRaft, combined broker+controller nodes) run straight from the Maven jars:
 * no Docker, no downloads beyond Maven Central. Used by jest's global setup, the examples and the bench.
 *
 * Every JVM started here is stopped on every exit path: `stop()`, a process 'exit' hook, SIGINT/SIGTERM
 * handlers, and a detached watchdog that SIGKILLs the JVM if this process dies without cleaning up (jvm.ts).
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { foreignEnv } from './foreign-env';
import { java, logTail, PortReservation, readFrom, sleep, spawnJvm, type Jvm } from './jvm';

const HERE = __dirname;
const POM = path.join(HERE, 'pom.xml');

export type JvmProfile = 'test' | 'bench';

export interface StartOptions {
  /** 1 (default) or 3 combined broker+controller nodes. */
  nodes?: 1 | 3;
  /** JVM flags: 'test' (small heap, C1 only: fast start) or 'bench' (1 GiB, G1, full JIT). */
  profile?: JvmProfile;
  /** Extra server.properties entries for every node. */
  properties?: Record<string, string | number | boolean>;
  /** Milliseconds to wait for readiness (default 90 s). */
  timeoutMs?: number;
  /**
   * Extra listeners beside PLAINTEXT (which stays the inter-broker listener): name -> security protocol.
   * Each gets a free port; `KafkaCluster.listeners[name]` is its bootstrap address. Per-listener settings
   * go in `properties` as `listener.name.<name in lower case>.<setting>`.
   */
  listeners?: Record<string, 'SSL' | 'SASL_SSL' | 'SASL_PLAINTEXT'>;
  /** Extra arguments for `StorageTool format`, e.g. `--add-scram` for SCRAM users. */
  formatArgs?: string[];
  /**
   * Adds a PLAINTEXT listener named PROXIED to every node whose advertised port is not the port it
   * listens on: clients bootstrapped from `listeners.PROXIED` reach every broker only through whatever
   * forwards `proxyRoutes[i].port` to `proxyRoutes[i].target` (the fault proxy of test/faults/).
   */
  proxied?: boolean;
}

/** One node's proxied listener: clients are told `port`; the broker listens on `target`. */
export interface ProxyRoute {
  readonly nodeId: number;
  readonly port: number;
  readonly target: number;
}

export interface BrokerNode {
  readonly id: number;
  readonly port: number;
  readonly logFile: string;
  readonly pid: number | undefined;
  readonly running: boolean;
  /** Sends `signal` (default SIGKILL: a crash) and waits for the JVM to exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Restarts a stopped node with the same data directories and waits until it serves again. */
  start(): Promise<void>;
}

export interface KafkaCluster {
  readonly bootstrapServers: string;
  readonly nodes: BrokerNode[];
  /** Wall-clock milliseconds from start() to every node ready (including jar fetch if needed). */
  readonly startMs: number;
  readonly kafkaVersion: string;
  /** Bootstrap address of each extra listener (StartOptions.listeners), by name. */
  readonly listeners: Record<string, string>;
  /** StartOptions.proxied: the port each node advertises and the port it listens on. */
  readonly proxyRoutes: ProxyRoute[];
  /** Stops every JVM (SIGTERM, then SIGKILL after 10 s) and deletes the data directories. */
  stop(): Promise<void>;
}

/**
 * The broker version: `KAFKA_VERSION` when set (the compatibility matrix runs the suite once per broker
 * line), otherwise the pom's default, the newest line.
 */
export function kafkaVersion(): string {
  const wanted = process.env.KAFKA_VERSION;
  if (wanted) {
    if (!/^\d+\.\d+\.\d+$/.test(wanted)) throw new Error(`KAFKA_VERSION must look like 4.1.1, not ${wanted}`);
    return wanted;
  }
  const m = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(fs.readFileSync(POM, 'utf8'));
  if (!m) throw new Error(`no kafka.version in ${POM}`);
  return m[1];
}

/** Fetches (once, cached under test/broker/.cache) the broker jars; returns the classpath directory. */
export function ensureKafkaJars(): string {
  const version = kafkaVersion();
  const lib = path.join(HERE, '.cache', `kafka-${version}`, 'lib');
  const stamp = path.join(lib, '.complete');
  if (fs.existsSync(stamp)) return lib;
  fs.rmSync(path.dirname(lib), { recursive: true, force: true });
  fs.mkdirSync(lib, { recursive: true });
  const r = spawnSync(
    'mvn',
    [
      '-B',
      '-q',
      '-f',
      POM,
      'dependency:copy-dependencies',
      `-Dkafka.version=${version}`,
      `-DoutputDirectory=${lib}`,
      '-DincludeScope=runtime',
    ],
    { stdio: 'inherit', env: foreignEnv() },
  );
  if (r.status !== 0) throw new Error(`mvn could not fetch the Kafka ${version} jars (exit ${r.status})`);
  fs.writeFileSync(stamp, version);
  return lib;
}

function jvmFlags(profile: JvmProfile, tmp: string): string[] {
  const common = ['-XX:-UsePerfData', `-Djava.io.tmpdir=${tmp}`, '-Djava.awt.headless=true'];
  return profile === 'bench'
    ? ['-Xms1g', '-Xmx1g', '-XX:+UseG1GC', '-XX:MaxGCPauseMillis=20', ...common]
    : ['-Xms256m', '-Xmx512m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', ...common];
}

const LOG4J2 = `status = warn
appender.out.type = Console
appender.out.name = out
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = warn
rootLogger.appenderRef.out.ref = out
logger.raft.name = kafka.server.KafkaRaftServer
logger.raft.level = info
logger.broker.name = kafka.server.BrokerServer
logger.broker.level = info
`;

interface NodeSpec {
  id: number;
  port: number;
  controllerPort: number;
  dir: string;
  /** Extra listener name -> [protocol, port]. */
  extra: Record<string, [string, number]>;
  /** Extra listener name -> the port advertised instead of its own (StartOptions.proxied). */
  advertised: Record<string, number>;
}

class Node implements BrokerNode {
  private jvm: Jvm | undefined;
  readonly logFile: string;
  readonly propsFile: string;

  constructor(
    private readonly spec: NodeSpec,
    private readonly lib: string,
    private readonly profile: JvmProfile,
    private readonly timeoutMs: number,
  ) {
    this.logFile = path.join(spec.dir, 'server.log');
    this.propsFile = path.join(spec.dir, 'server.properties');
  }

  get id(): number {
    return this.spec.id;
  }
  get port(): number {
    return this.spec.port;
  }
  get pid(): number | undefined {
    return this.jvm?.pid;
  }
  get running(): boolean {
    return this.jvm?.running ?? false;
  }

  classpath(): string {
    return `${this.lib}/*`;
  }

  async start(): Promise<void> {
    if (this.running) return;
    const tmp = path.join(this.spec.dir, 'tmp');
    fs.mkdirSync(tmp, { recursive: true });
    const log4j = path.join(this.spec.dir, 'log4j2.properties');
    fs.writeFileSync(log4j, LOG4J2);
    const offset = fs.existsSync(this.logFile) ? fs.statSync(this.logFile).size : 0;
    this.jvm = spawnJvm(
      [
        ...jvmFlags(this.profile, tmp),
        `-Dlog4j2.configurationFile=${log4j}`,
        '-cp',
        this.classpath(),
        'kafka.Kafka',
        this.propsFile,
      ],
      this.logFile,
    );
    await this.waitReady(offset);
  }

  private async waitReady(offset: number): Promise<void> {
    const deadline = Date.now() + this.timeoutMs;
    // The log is scanned as it grows rather than through a window of its last lines: a busy node (a whole
    // cluster restarting under load) can log past its start-up line between two looks.
    let scanned = offset;
    let carry = '';
    let started = false;
    let connected = false;
    for (;;) {
      if (!this.running) {
        throw new Error(`Kafka node ${this.id} exited during start-up; see ${this.logFile}:\n${this.tail(offset)}`);
      }
      if (!started) {
        const fresh = readFrom(this.logFile, scanned);
        scanned += fresh.length;
        const text = carry + fresh.toString('utf8');
        started = text.includes('Kafka Server started');
        carry = text.slice(-64);
      }
      if (started && (connected = await canConnect(this.port))) return;
      if (Date.now() > deadline) {
        await this.kill();
        throw new Error(
          `Kafka node ${this.id} not ready after ${this.timeoutMs} ms (start-up line ${started ? 'seen' : 'not seen'}, ` +
            `port ${this.port} ${connected ? 'accepting' : 'not accepting'}); see ${this.logFile}:\n${this.tail(offset)}`,
        );
      }
      await sleep(100);
    }
  }

  private tail(offset: number): string {
    return logTail(this.logFile, offset);
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    await this.jvm?.kill(signal);
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function properties(spec: NodeSpec, all: NodeSpec[], extra: Record<string, string | number | boolean>): string {
  const multi = all.length > 1;
  const props: Record<string, string | number | boolean> = {
    'process.roles': 'broker,controller',
    'node.id': spec.id,
    'controller.quorum.voters': all.map((n) => `${n.id}@127.0.0.1:${n.controllerPort}`).join(','),
    listeners: [
      `PLAINTEXT://127.0.0.1:${spec.port}`,
      `CONTROLLER://127.0.0.1:${spec.controllerPort}`,
      ...Object.entries(spec.extra).map(([name, [, port]]) => `${name}://127.0.0.1:${port}`),
    ].join(','),
    'advertised.listeners': [
      `PLAINTEXT://127.0.0.1:${spec.port}`,
      ...Object.entries(spec.extra).map(([name, [, port]]) => `${name}://127.0.0.1:${spec.advertised[name] ?? port}`),
    ].join(','),
    'inter.broker.listener.name': 'PLAINTEXT',
    'controller.listener.names': 'CONTROLLER',
    'listener.security.protocol.map': [
      'CONTROLLER:PLAINTEXT',
      'PLAINTEXT:PLAINTEXT',
      ...Object.entries(spec.extra).map(([name, [protocol]]) => `${name}:${protocol}`),
    ].join(','),
    'log.dirs': path.join(spec.dir, 'data'),
    'num.partitions': 1,
    'default.replication.factor': multi ? 3 : 1,
    'min.insync.replicas': multi ? 2 : 1,
    'auto.create.topics.enable': true,
    'offsets.topic.replication.factor': multi ? 3 : 1,
    // 50 partitions (the default) make the first group join slow on a small machine.
    'offsets.topic.num.partitions': 1,
    'transaction.state.log.replication.factor': multi ? 3 : 1,
    'transaction.state.log.min.isr': multi ? 2 : 1,
    'transaction.state.log.num.partitions': 1,
    'share.coordinator.state.topic.replication.factor': multi ? 3 : 1,
    'share.coordinator.state.topic.min.isr': multi ? 2 : 1,
    'group.initial.rebalance.delay.ms': 0,
    // KIP-848 and share group members learn of new partitions at their next heartbeat: the 5 s default
    // interval makes every join in a test wait up to 5 s. Unknown to brokers without those groups.
    'group.consumer.min.heartbeat.interval.ms': 1000,
    'group.consumer.heartbeat.interval.ms': 1000,
    'group.share.min.heartbeat.interval.ms': 1000,
    'group.share.heartbeat.interval.ms': 1000,
    // The 128 MiB default is allocated on the heap at start.
    'log.cleaner.dedupe.buffer.size': 33554432,
    ...(multi ? { 'broker.session.timeout.ms': 6000, 'broker.heartbeat.interval.ms': 1000 } : {}),
    // Share groups (4.2+): tests set a group's record lock to a few seconds to watch a dead member's records
    // move on (the broker's floor is 15 s), and the share coordinator's state topic gets one partition
    // like the other internal topics.
    ...(kafkaAtLeast(4, 2)
      ? {
          'group.share.min.record.lock.duration.ms': 1000,
          'share.coordinator.state.topic.num.partitions': 1,
        }
      : {}),
    ...extra,
  };
  return (
    Object.entries(props)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join('\n') + '\n'
  );
}

function clusterId(): string {
  // 16 random bytes, base64url without padding; a leading '-' would be read as a CLI flag.
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/** True when the harness's broker is at least `major.minor`. */
export function kafkaAtLeast(major: number, minor: number): boolean {
  const [a, b] = kafkaVersion().split('.').map(Number);
  return a > major || (a === major && b >= minor);
}

/**
 * Share groups (KIP-932, KafkaShareConsumer) are a cluster feature: production-ready from 4.2, turned on
 * at format time. Older lines keep their defaults (3.9 has no such feature; 4.1's is a preview).
 */
function featureArgs(): string[] {
  return kafkaAtLeast(4, 2) ? ['--feature', 'share.version=1'] : [];
}

function format(lib: string, id: string, propsFile: string, dir: string, extraArgs: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      java(),
      [
        '-Xmx256m',
        '-XX:TieredStopAtLevel=1',
        '-XX:-UsePerfData',
        '-cp',
        `${lib}/*`,
        'kafka.tools.StorageTool',
        'format',
        '-t',
        id,
        '-c',
        propsFile,
        ...extraArgs,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir, env: foreignEnv() },
    );
    let output = '';
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`kafka StorageTool format failed (${code}): ${output}`)),
    );
  });
}

const CLUSTER_LOCK = path.join(os.tmpdir(), 'kafka-napi-3-node.lock');

/**
 * One 3-node cluster at a time on this machine (jest runs two test files at once): three more JVMs
 * beside another three and the suite's broker starve 2 cores into timeouts that say nothing about the
 * client. mkdir is atomic; a lock whose owner died is taken over.
 */
async function lockThreeNodes(): Promise<() => void> {
  for (;;) {
    try {
      fs.mkdirSync(CLUSTER_LOCK);
      fs.writeFileSync(path.join(CLUSTER_LOCK, 'pid'), String(process.pid));
      return () => fs.rmSync(CLUSTER_LOCK, { recursive: true, force: true });
    } catch {
      if (lockAbandoned()) fs.rmSync(CLUSTER_LOCK, { recursive: true, force: true });
      else await sleep(500);
    }
  }
}

/** The lock's owner died, or died between taking it and writing its pid (then the lock is old). */
function lockAbandoned(): boolean {
  let owner = 0;
  try {
    owner = Number(fs.readFileSync(path.join(CLUSTER_LOCK, 'pid'), 'utf8'));
  } catch {
    // not written yet
  }
  if (owner > 0) {
    try {
      process.kill(owner, 0);
      return false;
    } catch {
      return true;
    }
  }
  try {
    return Date.now() - fs.statSync(CLUSTER_LOCK).mtimeMs > 10_000;
  } catch {
    return false; // released meanwhile: the next mkdir decides
  }
}

/** Starts a fresh Kafka cluster on loopback with free ports and waits until every node serves. */
export async function startKafka(options: StartOptions = {}): Promise<KafkaCluster> {
  const count = options.nodes ?? 1;
  const unlock = count === 3 ? await lockThreeNodes() : () => undefined;
  try {
    return await startNodes(options, unlock);
  } catch (err) {
    unlock();
    throw err;
  }
}

async function startNodes(options: StartOptions, unlock: () => void): Promise<KafkaCluster> {
  const started = Date.now();
  const count = options.nodes ?? 1;
  const profile = options.profile ?? 'test';
  const timeoutMs = options.timeoutMs ?? 90_000;
  const lib = ensureKafkaJars();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kafka-napi-broker-'));
  const id = clusterId();

  for (let attempt = 1; ; attempt++) {
    const specs: NodeSpec[] = [];
    const ports = new PortReservation();
    const freePort = () => ports.take();
    try {
      for (let i = 1; i <= count; i++) {
        const dir = path.join(root, `attempt-${attempt}`, `node-${i}`);
        fs.mkdirSync(dir, { recursive: true });
        const extra: Record<string, [string, number]> = {};
        for (const [name, protocol] of Object.entries(options.listeners ?? {}))
          extra[name] = [protocol, await freePort()];
        const advertised: Record<string, number> = {};
        if (options.proxied) {
          extra.PROXIED = ['PLAINTEXT', await freePort()];
          advertised.PROXIED = await freePort();
        }
        specs.push({ id: i, port: await freePort(), controllerPort: await freePort(), dir, extra, advertised });
      }
    } finally {
      // Also when a probe failed: no port of this attempt stays bound.
      await ports.release();
    }
    const nodes = specs.map((spec) => new Node(spec, lib, profile, timeoutMs));
    for (const node of nodes) {
      const spec = specs[node.id - 1];
      fs.writeFileSync(node.propsFile, properties(spec, specs, options.properties ?? {}));
    }
    await Promise.all(
      nodes.map((node) =>
        format(lib, id, node.propsFile, specs[node.id - 1].dir, [...featureArgs(), ...(options.formatArgs ?? [])]),
      ),
    );
    try {
      await Promise.all(nodes.map((node) => node.start()));
    } catch (err) {
      await Promise.all(nodes.map((node) => node.kill()));
      // A free port can be taken between probing and binding; retry with new ports.
      if (attempt < 3 && /Address already in use/.test(String(err))) continue;
      fs.rmSync(root, { recursive: true, force: true });
      throw err;
    }
    let stopped = false;
    return {
      bootstrapServers: nodes.map((n) => `127.0.0.1:${n.port}`).join(','),
      nodes,
      startMs: Date.now() - started,
      kafkaVersion: kafkaVersion(),
      listeners: Object.fromEntries(
        Object.keys(specs[0].extra).map((name) => [
          name,
          specs.map((s) => `127.0.0.1:${s.advertised[name] ?? s.extra[name][1]}`).join(','),
        ]),
      ),
      proxyRoutes: options.proxied
        ? specs.map((s) => ({ nodeId: s.id, port: s.advertised.PROXIED, target: s.extra.PROXIED[1] }))
        : [],
      async stop() {
        if (stopped) return;
        stopped = true;
        await Promise.all(nodes.map((n) => n.kill('SIGTERM')));
        fs.rmSync(root, { recursive: true, force: true });
        unlock();
      },
    };
  }
}

/** Runs a Java class (or single-file .java program) with the broker jars on the classpath; returns stdout. */
export function runJava(mainOrSource: string, args: string[]): string {
  const lib = ensureKafkaJars();
  const r = spawnSync(java(), ['-Xmx256m', '-XX:TieredStopAtLevel=1', '-cp', `${lib}/*`, mainOrSource, ...args], {
    encoding: 'utf8',
    timeout: 120_000,
    env: foreignEnv(),
  });
  if (r.status !== 0) throw new Error(`java ${mainOrSource} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

/**
 * The node id of the active KRaft controller (Kafka's MetadataQuorumCommand), without blocking the
 * event loop: fault tests ask it while clients hold a load.
 */
export function activeController(bootstrapServers: string): Promise<number> {
  const lib = ensureKafkaJars();
  return new Promise((resolve, reject) => {
    const child = spawn(
      java(),
      [
        '-Xmx256m',
        '-XX:TieredStopAtLevel=1',
        '-cp',
        `${lib}/*`,
        'org.apache.kafka.tools.MetadataQuorumCommand',
        '--bootstrap-server',
        bootstrapServers,
        'describe',
        '--status',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], env: foreignEnv() },
    );
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', () => {
      const m = /LeaderId:\s*(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
      else reject(new Error(`no LeaderId from MetadataQuorumCommand: ${out.slice(-2000)}`));
    });
  });
}

/** Bytes each topic occupies in the brokers' log directories (Kafka's own LogDirsCommand). */
export function topicLogSizes(bootstrapServers: string, topics: string[]): Record<string, number> {
  const out = runJava('org.apache.kafka.tools.LogDirsCommand', [
    '--bootstrap-server',
    bootstrapServers,
    '--describe',
    '--topic-list',
    topics.join(','),
  ]);
  const json = out.split('\n').find((line) => line.startsWith('{'));
  if (!json) throw new Error(`unexpected LogDirsCommand output: ${out}`);
  const parsed = JSON.parse(json) as {
    brokers: Array<{ logDirs: Array<{ partitions: Array<{ partition: string; size: number }> }> }>;
  };
  const sizes: Record<string, number> = Object.fromEntries(topics.map((t) => [t, 0]));
  for (const broker of parsed.brokers) {
    for (const dir of broker.logDirs) {
      for (const p of dir.partitions) {
        const topic = p.partition.slice(0, p.partition.lastIndexOf('-'));
        if (topic in sizes) sizes[topic] += p.size;
      }
    }
  }
  return sizes;
}

/** Partitions the Java client assigns to these keys (UTF-8) among `partitions` partitions. */
export function javaPartitionsForKeys(partitions: number, keys: string[]): number[] {
  const out = runJava(path.join(HERE, 'tools', 'Partitions.java'), [String(partitions), ...keys]);
  return out.trim().split(/\s+/).map(Number);
}

/**
 * Record headers as the Java client sees them (tools/Headers.java): 'produce' sends one record with
 * headers n=null, e=<empty>, s="x"; 'consume' returns one line per record of `name=null|name=<hex>`.
 */
export function javaHeaders(mode: 'produce' | 'consume', bootstrapServers: string, topic: string, count = 1): string[] {
  const out = runJava(path.join(HERE, 'tools', 'Headers.java'), [mode, bootstrapServers, topic, String(count)]);
  return out.split('\n').filter((line) => line.length > 0);
}
