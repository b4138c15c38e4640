// Runs one benchmark job inside a fresh Node process and prints its measurements as the last stdout line
// ("RESULT {json}"). Each client module exports the job kinds it supports (produce, consume, sendLatency,
// endToEnd); the harness owns what is measured the same way for every client: wall time, process CPU
// (all threads: librdkafka's included), event-loop delay and peak RSS.
'use strict';
const { monitorEventLoopDelay, performance } = require('node:perf_hooks');

/** A payload of `size` bytes: compressible JSON-ish text, or bytes that do not compress. */
function payload(size, compressible) {
  if (compressible) {
    const text = '{"user":"u-00042","event":"page_view","path":"/products/42","ua":"Mozilla/5.0"}';
    return Buffer.from(text.repeat(Math.ceil(size / text.length)).slice(0, size));
  }
  const out = Buffer.alloc(size);
  let x = 2463534242;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** Percentiles (ms) of a list of latencies in ms. */
function percentiles(values) {
  if (values.length === 0) return undefined;
  const sorted = Float64Array.from(values).sort();
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { p50: at(0.5), p99: at(0.99), p999: at(0.999), max: sorted[sorted.length - 1], count: sorted.length };
}

/** Awaits `send(i)` `count` times in sequence; returns the percentiles of each call's duration (ms). */
async function sequential(count, send) {
  const latencies = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    await send(i);
    latencies[i] = performance.now() - t;
  }
  return percentiles(latencies);
}

/** Calls `send(i)` at `rate` per second for `count` messages, from the scheduled time (open loop). */
async function openLoop(rate, count, send) {
  const start = performance.now();
  const intervalMs = 1000 / rate;
  let i = 0;
  while (i < count) {
    const due = start + i * intervalMs;
    const now = performance.now();
    if (due > now + 1) {
      await new Promise((resolve) => setTimeout(resolve, due - now));
      continue;
    }
    // Everything already due goes out now, stamped with its scheduled time, not the actual one.
    while (i < count && start + i * intervalMs <= performance.now()) {
      send(i, start + i * intervalMs);
      i++;
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * Sends `total` messages as chunks: `send(n)` sends n and returns a promise that resolves once the client
 * acknowledged them; `window` chunks stay in flight. Resolves with the number acknowledged.
 */
async function windowed(total, chunk, window, send) {
  const pending = new Set();
  let delivered = 0;
  for (let sent = 0; sent < total; sent += chunk) {
    const n = Math.min(chunk, total - sent);
    const request = send(n).then(() => {
      delivered += n;
      pending.delete(request);
    });
    pending.add(request);
    // A well-behaved application lets the event loop turn between chunks, also while the window fills.
    if (pending.size >= window) await Promise.race(pending);
    else await new Promise(setImmediate);
  }
  await Promise.all(pending);
  return delivered;
}

/**
 * The tuned produce cases, the same for every Node client: chunks of CHUNK records, WINDOW chunks
 * awaiting acknowledgement at once (docs/performance.md has the measurements behind the numbers).
 * BENCH_WINDOW overrides WINDOW, to measure the rule itself.
 */
const CHUNK = 1_000;
const WINDOW = Number(process.env.BENCH_WINDOW || 80);

/**
 * Records per awaited window in the per-record cases (P5): an application loop that sends one record per
 * call and, every so many, awaits the ones it sent (the same for every client).
 */
const EACH_WINDOW = 10_000;

/**
 * Sends `total` records with one `send(i)` call each; `send` returns the record's promise. Every
 * EACH_WINDOW records the loop awaits them all. Resolves with the number acknowledged.
 */
async function perRecord(total, send) {
  let delivered = 0;
  let pending = [];
  for (let i = 0; i < total; i++) {
    pending.push(send(i));
    if (pending.length === EACH_WINDOW) {
      await Promise.all(pending);
      delivered += pending.length;
      pending = [];
    }
  }
  await Promise.all(pending);
  return delivered + pending.length;
}

async function main() {
  // The client's name tells a runner shared by several clients (kafkajs-api.js) which engine to load.
  const [clientModule, jobJson, clientName] = process.argv.slice(2);
  const job = JSON.parse(jobJson);
  const client = require(clientModule);
  const run = client[job.kind];
  if (!run) {
    process.stdout.write(
      `RESULT ${JSON.stringify({ unsupported: `${job.kind} is not implemented for this client` })}\n`,
    );
    return;
  }
  const eld = monitorEventLoopDelay({ resolution: 5 });
  const tools = {
    client: clientName,
    chunk: CHUNK,
    window: WINDOW,
    payload,
    percentiles,
    sequential,
    openLoop,
    windowed,
    perRecord,
    now: () => performance.now(),
  };
  // Setup (connect, metadata, group join) happens in `prepare` and is not timed; `run` is.
  const prepared = client.prepare ? await client.prepare(job, tools) : undefined;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  eld.enable();
  const extra = (await run(job, tools, prepared)) || {};
  eld.disable();
  // Consumers time from their first record to their last (group join and the first fetch are setup).
  const elapsedMs = extra.startedAt !== undefined ? extra.endedAt - extra.startedAt : performance.now() - t0;
  delete extra.startedAt;
  delete extra.endedAt;
  const cpu = process.cpuUsage(cpu0);
  if (client.teardown) await client.teardown(prepared);
  const messages = extra.messages ?? job.messages;
  const result = {
    messages,
    elapsedMs,
    rate: messages / (elapsedMs / 1000),
    cpuUs: cpu.user + cpu.system,
    cpuUsPerMsg: (cpu.user + cpu.system) / messages,
    eventLoopDelayMs: { p50: eld.percentile(50) / 1e6, p99: eld.percentile(99) / 1e6, max: eld.max / 1e6 },
    rssPeakBytes: process.resourceUsage().maxRSS * 1024,
    node: process.version,
    ...extra,
  };
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

main().then(
  () => process.exit(0),
  (err) => {
    // A client that lacks a feature (a codec, manual assignment) says so with an 'UNSUPPORTED:' error.
    const message = String((err && err.message) || err);
    const result = message.startsWith('UNSUPPORTED:')
      ? { unsupported: message.slice(12).trim() }
      : { error: String((err && err.stack) || err) };
    process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
    process.exit(result.unsupported ? 0 : 1);
  },
);
