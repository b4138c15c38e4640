/**
 * A real schema registry for the tests: Apicurio Registry 3 (a Quarkus app) run from its Maven Central
 * distribution, serving the Confluent-compatible API (ccompat) on loopback with in-memory storage. No
 * Docker, no downloads beyond Maven Central.
 *
 * Like the Kafka broker of test/broker/kafka.ts, every JVM started here is stopped on every exit path:
 * `stop()`, a process 'exit' hook, SIGINT/SIGTERM handlers, and a detached watchdog (test/broker/jvm.ts).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { foreignEnv } from '../broker/foreign-env';
import { javaAtLeast, logTail, PortReservation, sleep, spawnJvm, type Jvm } from '../broker/jvm';

/** The Apicurio Registry release run; the app distribution is `apicurio-registry-app-<version>-all.tar.gz`. */
export const APICURIO_VERSION = '3.3.3';
const ARTIFACT = `io.apicurio:apicurio-registry-app:${APICURIO_VERSION}:tar.gz:all`;
// The plugin version test/broker/pom.xml pins.
const COPY_GOAL = 'org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy';
const CACHE = path.join(__dirname, '.cache');
/** Apicurio 3.2 and later are built for Java 21. */
const JAVA_MAJOR = 21;

export interface RegistryOptions {
  /** Milliseconds to wait for readiness (default 120 s). */
  timeoutMs?: number;
}

export interface SchemaRegistryServer {
  /** The Confluent-compatible base URL, `http://127.0.0.1:<port>/apis/ccompat/v7`. */
  readonly url: string;
  /** The Apicurio Registry release. */
  readonly version: string;
  /** Wall-clock milliseconds from startRegistry() to ready (including the download if needed). */
  readonly startMs: number;
  readonly pid: number | undefined;
  /** Stops the JVM (SIGTERM, then SIGKILL after 10 s) and deletes its directory. */
  stop(): Promise<void>;
}

function run(command: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: 'inherit', env: foreignEnv() });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} failed (exit ${code})`)),
    );
  });
}

/**
 * Fetches (with Maven, through the machine's Maven settings) and unpacks the Apicurio Registry app once,
 * under test/registry/.cache; returns the app directory (the one holding quarkus-run.jar). Safe to call
 * from several processes at once: each unpacks aside and the first rename wins.
 */
export async function ensureApicurio(): Promise<string> {
  const app = path.join(CACHE, `apicurio-registry-${APICURIO_VERSION}`);
  const runner = path.join(app, 'quarkus-run.jar');
  if (fs.existsSync(runner)) return app;
  fs.mkdirSync(CACHE, { recursive: true });
  const work = fs.mkdtempSync(path.join(CACHE, '.fetch-'));
  try {
    await run('mvn', ['-B', '-q', COPY_GOAL, `-Dartifact=${ARTIFACT}`, `-DoutputDirectory=${work}`], work);
    const unpacked = path.join(work, 'app');
    fs.mkdirSync(unpacked);
    await run('tar', ['-xzf', path.join(work, `apicurio-registry-app-${APICURIO_VERSION}-all.tar.gz`)], unpacked);
    if (!fs.existsSync(path.join(unpacked, 'quarkus-run.jar'))) throw new Error(`no quarkus-run.jar in ${ARTIFACT}`);
    if (!fs.existsSync(runner)) fs.rmSync(app, { recursive: true, force: true }); // a partial copy
    try {
      fs.renameSync(unpacked, app);
    } catch (err) {
      if (!fs.existsSync(runner)) throw err; // otherwise another process got there first
    }
    return app;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** The application properties, passed as system properties (Quarkus reads them over its own). */
function properties(port: number, managementPort: number, tmp: string): Record<string, string | number | boolean> {
  return {
    // Loopback only, on free ports: two registries (two jest workers) never clash.
    'quarkus.http.host': '127.0.0.1',
    'quarkus.http.port': port,
    // Health and metrics listen on a second port (9000 by default); the switch is fixed at build time.
    'quarkus.management.host': '127.0.0.1',
    'quarkus.management.port': managementPort,
    // In-memory H2 (the default storage, named here): nothing outlives the JVM.
    'apicurio.storage.kind': 'sql',
    'apicurio.storage.sql.kind': 'h2',
    'apicurio.datasource.url': 'jdbc:h2:mem:registry',
    // 20 pooled connections by default, all opened at start; a test registry needs a few.
    'apicurio.datasource.jdbc.initial-size': 2,
    'apicurio.datasource.jdbc.min-size': 2,
    'apicurio.datasource.jdbc.max-size': 20,
    // Both default to /tmp; kept in this registry's own directory, removed by stop().
    'apicurio.storage.snapshot.location': tmp,
    'apicurio.import.work-dir': tmp,
    // Ids are content ids (the default): one id per distinct schema, the same in every subject, and the
    // id POST /subjects/{s}/versions returns is the one GET /schemas/ids/{id} takes, as in Confluent's.
    // Legacy mode would hand out global ids instead: a new id for each version, even of the same schema.
    'apicurio.ccompat.legacy-id-mode.enabled': false,
    // Lookups (register, POST /subjects/{s}) try the exact text first, then Apicurio's canonical form
    // (which drops Avro docs, unlike Confluent's); canonical mode would try the canonical form alone.
    'apicurio.ccompat.use-canonical-hash': false,
    // GET /subjects stops at 1000 subjects by default without saying so; Confluent's has no cap.
    'apicurio.ccompat.max-subjects': 1_000_000,
    // Confluent's default compatibility level; Apicurio's is none (no global rule).
    'apicurio.rules.global.compatibility': 'BACKWARD',
    // Confluent's registry rejects what it cannot parse in full (42201), e.g. a Protobuf import that no
    // reference resolves; with no validity rule (the default) Apicurio stores it.
    'apicurio.rules.global.validity': 'FULL',
    // The default pattern prints dates as 2026-12+00-08.
    'quarkus.log.console.format': '%d{HH:mm:ss,SSS} %p [%c{2.}] (%t) %m%n',
  };
}

function jvmFlags(tmp: string): string[] {
  // Small heap, serial GC and C1 only: the broker's 'test' profile, for a fast start on 2 cores.
  return [
    '-Xms64m',
    '-Xmx384m',
    '-XX:+UseSerialGC',
    '-XX:TieredStopAtLevel=1',
    '-XX:-UsePerfData',
    `-Djava.io.tmpdir=${tmp}`,
    '-Djava.awt.headless=true',
  ];
}

/** Waits for `GET <url>/subjects` to answer 200. */
async function waitReady(jvm: Jvm, url: string, logFile: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  for (;;) {
    if (!jvm.running) throw new Error(`schema registry exited during start-up; see ${logFile}:\n${logTail(logFile)}`);
    try {
      const res = await fetch(`${url}/subjects`, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.status === 200) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = String(err);
    }
    if (Date.now() > deadline) {
      await jvm.kill();
      throw new Error(
        `schema registry not ready after ${timeoutMs} ms (${last}); see ${logFile}:\n${logTail(logFile)}`,
      );
    }
    await sleep(100);
  }
}

/** Starts a fresh Apicurio Registry on a free loopback port and waits until its ccompat API answers. */
export async function startRegistry(options: RegistryOptions = {}): Promise<SchemaRegistryServer> {
  const started = Date.now();
  const timeoutMs = options.timeoutMs ?? 120_000;
  const app = await ensureApicurio();
  const javaPath = javaAtLeast(JAVA_MAJOR);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kafka-napi-registry-'));
  for (let attempt = 1; ; attempt++) {
    const dir = path.join(root, `attempt-${attempt}`);
    const tmp = path.join(dir, 'tmp');
    fs.mkdirSync(tmp, { recursive: true });
    const ports = new PortReservation();
    const port = await ports.take();
    const managementPort = await ports.take();
    await ports.release();
    const props = Object.entries(properties(port, managementPort, tmp)).map(([k, v]) => `-D${k}=${String(v)}`);
    const logFile = path.join(dir, 'registry.log');
    const jvm = spawnJvm([...jvmFlags(tmp), ...props, '-jar', path.join(app, 'quarkus-run.jar')], logFile, javaPath);
    const url = `http://127.0.0.1:${port}/apis/ccompat/v7`;
    try {
      await waitReady(jvm, url, logFile, timeoutMs);
    } catch (err) {
      await jvm.kill();
      // A free port can be taken between probing and binding; retry with new ports.
      if (attempt < 3 && /in use/i.test(String(err))) continue;
      fs.rmSync(root, { recursive: true, force: true });
      throw err;
    }
    let stopped = false;
    return {
      url,
      version: APICURIO_VERSION,
      startMs: Date.now() - started,
      pid: jvm.pid,
      async stop() {
        if (stopped) return;
        stopped = true;
        await jvm.kill('SIGTERM');
        fs.rmSync(root, { recursive: true, force: true });
      },
    };
  }
}
