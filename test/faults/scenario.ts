/**
 * One fault test: a topic, an idempotent producer and an at-least-once group under load, the fault, the
 * recovery, then the whole log read and checked against the history. Every fault test of test/faults/
 * runs through `holdLoadThrough`, and each appends its figures to `.tmp/faults/results.jsonl` (the
 * source of the table in docs/internals/reliability-journal.md).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KafkaAdmin, KafkaProducer, type ProducerOptions } from '../../src';
import { uniqueTopic, waitFor } from '../helpers';
import { History, summary, violations, type Report } from './history';
import { consumeLoad, IDEMPOTENT, produceLoad, readLog, transactionalLoad, type ProducerLoad } from './workload';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Scenario {
  /** The fault, as the table names it. */
  fault: string;
  /** Bootstrap the load's clients use (through the proxies for network faults). */
  clientBootstrap: string;
  /** Bootstrap of the topic set-up and the final read (never faulted). */
  directBootstrap: string;
  partitions?: number;
  replicationFactor?: number;
  producer?: Partial<ProducerOptions>;
  consumer?: Record<string, unknown>;
  consumers?: number;
  ratePerSec?: number;
  /**
   * Transactions of 100 records instead of the idempotent stream, checked exactly-once (every committed
   * record once, no aborted one) on a read_committed read; no consumer group.
   */
  transactional?: boolean;
  /** Injects the fault, ends it, and returns when it ended (ms since the epoch). */
  inject: (topic: string) => Promise<number>;
}

export interface ScenarioResult {
  fault: string;
  report: Report;
  /** From the end of the fault to both an acknowledgement and a consumed record after it. */
  recoverMs: number | undefined;
  /** From the end of the fault until the group had been handed every acknowledged record. */
  caughtUpMs: number | undefined;
  /** How long the fault lasted (injection to its end). */
  faultMs: number;
  /** Longest time without an acknowledgement / a consumed record, from the fault's start to recovery. */
  stall: { acks: number; consumed: number };
}

export async function holdLoadThrough(s: Scenario): Promise<ScenarioResult> {
  const topic = uniqueTopic('fault');
  const partitions = s.partitions ?? 3;
  const history = new History();
  const admin = new KafkaAdmin({ bootstrapServers: s.directBootstrap });
  const transactionalId = uniqueTopic('fault-tx');
  const makeProducer = () =>
    new KafkaProducer({
      ...IDEMPOTENT,
      ...(s.transactional ? { transactionalId } : {}),
      ...s.producer,
      bootstrapServers: s.clientBootstrap,
    });
  // The transactional load makes (and, after a fatal error, replaces) its own producers.
  const producer = s.transactional ? undefined : makeProducer();
  let consumers: ReturnType<typeof consumeLoad> | undefined;
  let load: ProducerLoad | undefined;
  let txLoad: ReturnType<typeof transactionalLoad> | undefined;
  try {
    await admin.createTopics([{ name: topic, numPartitions: partitions, replicationFactor: s.replicationFactor }]);
    if (s.transactional) {
      load = txLoad = transactionalLoad(makeProducer, topic, history);
      await waitFor(() => history.committedTxnIds().length > 500, 60_000, 'transactions committed before the fault');
    } else {
      consumers = consumeLoad(topic, history, {
        bootstrapServers: s.clientBootstrap,
        groupId: uniqueTopic('fault-group'),
        count: s.consumers ?? 2,
        extra: s.consumer,
      });
      load = produceLoad(producer!, topic, history, { ratePerSec: s.ratePerSec });
      await waitFor(() => history.consumedIds().size > 500, 60_000, 'the group consuming before the fault');
    }
    const faultAt = Date.now();
    const healedAt = await s.inject(topic);

    let recoverMs: number | undefined;
    await waitFor(
      () => (recoverMs = history.recoveredAfter(healedAt, consumers !== undefined)) !== undefined,
      180_000,
      'recovery after the fault',
    ).catch(() => undefined);
    await sleep(2000);
    const stall = history.longestStall(faultAt, Date.now());
    await load.stop();
    load = undefined;
    let caughtUpMs: number | undefined;
    if (consumers) {
      const acked = history.ackedIds();
      await waitFor(
        () => {
          const seen = history.consumedIds();
          return acked.every((id) => seen.has(id));
        },
        120_000,
        'the group handed every acknowledged record',
      ).then(
        () => (caughtUpMs = Date.now() - healedAt),
        () => undefined,
      );
      await consumers.stop();
      consumers = undefined;
    }
    await producer?.close(10_000);
    await txLoad?.close();
    txLoad = undefined;
    const guarantee = s.transactional ? 'exactly-once' : 'at-least-once';
    const log = await readLog(
      s.directBootstrap,
      topic,
      partitions,
      s.transactional ? 'read_committed' : 'read_uncommitted',
    );
    const report = history.check(log, guarantee);
    const result: ScenarioResult = {
      fault: s.fault,
      report,
      recoverMs,
      caughtUpMs,
      stall,
      faultMs: healedAt - faultAt,
    };
    record(result);
    console.log(
      `${s.fault}: ${summary(report)}; fault ${result.faultMs} ms, longest stall: acks ${stall.acks} ms, ` +
        `consumed ${stall.consumed} ms; recovered ${recoverMs} ms after, caught up ${caughtUpMs} ms after`,
    );

    expect(violations(report)).toEqual([]);
    expect(report.failed).toBe(0);
    expect(report.unresolved).toBe(0);
    expect(recoverMs).toBeDefined();
    if (s.transactional) {
      expect(report.inCommitted).toBeGreaterThan(0);
    } else {
      expect(report.acknowledged).toBe(report.attempted);
      expect(caughtUpMs).toBeDefined();
    }
    // Whatever went wrong on the way surfaced as a KafkaError with a code, nothing else.
    expect(Object.keys(report.errors).filter((k) => !/^([a-z]+ )?KafkaError:\S+$/.test(k))).toEqual([]);
    return result;
  } finally {
    // A fault that failed half-way leaves the load running: stop it, or its loop outlives the test and
    // jest never exits. Closing the producers settles any send still in flight, which lets the loop end.
    const stopped = load?.stop().catch(() => undefined);
    await txLoad?.close().catch(() => undefined);
    await producer?.close(5000).catch(() => undefined);
    await stopped;
    await consumers?.stop().catch(() => undefined);
    await admin.close().catch(() => undefined);
  }
}

const RESULTS = path.join(__dirname, '..', '..', '.tmp', 'faults', 'results.jsonl');

function record(r: ScenarioResult): void {
  fs.mkdirSync(path.dirname(RESULTS), { recursive: true });
  const { report } = r;
  const row = {
    at: new Date().toISOString(),
    fault: r.fault,
    guarantee: report.guarantee,
    acknowledged: report.acknowledged,
    lost: report.lost.length,
    duplicated: report.duplicated.length,
    reordered: report.reordered.length,
    phantom: report.phantom.length,
    failed: report.failed,
    inCommittedTransactions: report.inCommitted,
    inAbortedTransactions: report.inAborted,
    consumed: report.consumed,
    redelivered: report.redelivered,
    faultMs: r.faultMs,
    stallAcksMs: r.stall.acks,
    stallConsumedMs: r.stall.consumed,
    recoverMs: r.recoverMs,
    caughtUpMs: r.caughtUpMs,
    errors: report.errors,
  };
  fs.appendFileSync(RESULTS, JSON.stringify(row) + '\n');
}
