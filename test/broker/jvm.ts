/**
 * What the test servers run as JVMs share (the Kafka broker of kafka.ts, the schema registry of
 * test/registry/): finding java, free loopback ports, the server's log, and stopping every JVM on every
 * exit path: `Jvm.kill()`, a process 'exit' hook, SIGINT/SIGTERM/SIGHUP handlers, and a detached watchdog
 * that SIGKILLs the JVM if this process dies without cleaning up.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { foreignEnv } from './foreign-env';

export function java(): string {
  const home = process.env.JAVA_HOME;
  return home ? path.join(home, 'bin', 'java') : 'java';
}

/** The major version of the Java runtime installed at `home`, from its `release` file (0 if unknown). */
function javaMajor(home: string): number {
  try {
    const m = /^JAVA_VERSION="(\d+)/m.exec(fs.readFileSync(path.join(home, 'release'), 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** The installation the first `java` on PATH belongs to. */
function pathJavaHome(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const bin = path.join(dir, 'java');
    if (dir && fs.existsSync(bin)) return path.dirname(path.dirname(fs.realpathSync(bin)));
  }
  return undefined;
}

/**
 * A java of at least `major`: JAVA_HOME's or PATH's when new enough, otherwise the newest one under
 * /usr/lib/jvm (where this project's machines keep a newer Temurin JDK beside Debian's OpenJDK 17).
 */
export function javaAtLeast(major: number): string {
  const jvmDir = '/usr/lib/jvm';
  const installed = fs.existsSync(jvmDir) ? fs.readdirSync(jvmDir).map((name) => path.join(jvmDir, name)) : [];
  installed.sort((a, b) => javaMajor(b) - javaMajor(a));
  for (const home of [process.env.JAVA_HOME, pathJavaHome(), ...installed]) {
    if (home && javaMajor(home) >= major && fs.existsSync(path.join(home, 'bin', 'java'))) {
      return path.join(home, 'bin', 'java');
    }
  }
  throw new Error(`no Java ${major} or newer: set JAVA_HOME to one (java ${java()} is older)`);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Free loopback ports, distinct from one another: each probe stays bound until release(). A probe closed
 * at once can be handed out again by the next one: two listeners of one node once got the same port,
 * and Kafka refused to format the node.
 */
export class PortReservation {
  readonly #servers: net.Server[] = [];

  take(): Promise<number> {
    const srv = net.createServer();
    srv.unref();
    this.#servers.push(srv);
    return new Promise((resolve, reject) => {
      srv.once('error', reject);
      srv.listen(0, '127.0.0.1', () => {
        const address = srv.address();
        resolve(typeof address === 'object' && address ? address.port : 0);
      });
    });
  }

  /** Frees every port taken, for the servers to bind. */
  async release(): Promise<void> {
    await Promise.all(
      this.#servers
        .splice(0)
        .map((srv) => new Promise<void>((resolve) => (srv.listening ? srv.close(() => resolve()) : resolve()))),
    );
  }
}

/** JVMs alive in this process, for the exit hooks. */
const live = new Set<ChildProcess>();
let hooksInstalled = false;

function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      for (const child of live) child.kill('SIGKILL');
      process.kill(process.pid, signal);
    });
  }
}

// Kills the JVM if this process disappears without running its exit hooks (SIGKILL, OOM).
function watchdog(jvmPid: number): void {
  const script = `while kill -0 ${process.pid} 2>/dev/null && kill -0 ${jvmPid} 2>/dev/null; do sleep 1; done; kill -9 ${jvmPid} 2>/dev/null`;
  const w = spawn('sh', ['-c', script], { detached: true, stdio: 'ignore', env: foreignEnv() });
  w.unref();
}

/** One server JVM, stopped with this process whatever way it ends. */
export class Jvm {
  readonly #child: ChildProcess;
  /** Settles when the JVM has exited (or could not be started). */
  readonly exited: Promise<void>;

  constructor(child: ChildProcess) {
    this.#child = child;
    installExitHooks();
    live.add(child);
    this.exited = new Promise((resolve) => {
      const done = (): void => {
        live.delete(child);
        resolve();
      };
      child.once('exit', done);
      child.once('error', done);
    });
    if (child.pid) watchdog(child.pid);
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  get running(): boolean {
    return live.has(this.#child);
  }

  /** Sends `signal` (default SIGKILL) and waits for the JVM to exit; anything else is SIGKILLed after 10 s. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (!this.running) return;
    this.#child.kill(signal);
    const timer = signal === 'SIGKILL' ? undefined : setTimeout(() => this.#child.kill('SIGKILL'), 10_000);
    await this.exited;
    clearTimeout(timer);
  }
}

/** Starts `java args` (`javaPath`, default java()), its stdout and stderr appended to `logFile`. */
export function spawnJvm(args: string[], logFile: string, javaPath = java()): Jvm {
  const out = fs.openSync(logFile, 'a');
  try {
    return new Jvm(spawn(javaPath, args, { stdio: ['ignore', out, out], env: foreignEnv() }));
  } finally {
    fs.closeSync(out);
  }
}

/** The bytes of `file` from `position` on (none if it does not exist yet). */
export function readFrom(file: string, position: number): Buffer {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      const buf = Buffer.alloc(Math.max(0, size - position));
      const n = buf.length > 0 ? fs.readSync(fd, buf, 0, buf.length, position) : 0;
      return buf.subarray(0, n);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return Buffer.alloc(0);
  }
}

/** The last 4000 characters `file` gained after `offset`, for error messages. */
export function logTail(file: string, offset = 0): string {
  return readFrom(file, offset).toString('utf8').slice(-4000);
}
