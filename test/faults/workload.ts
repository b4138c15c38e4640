/**
 * The load the fault tests hold while a fault happens, recording into a History: an idempotent acks=all
 * producer sending numbered records, and an at-least-once consumer group (commits only what it was handed,
 * after handing it on). Plus `readLog`, which reads a topic whole for the checker.
 */
import { KafkaConsumer, KafkaError, type KafkaProducer, type ProducerOptions } from '../../src';
import { recordId, type LogEntry, type Recorder, type TransactionOutcome } from './history';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface ProducerLoad {
  /** Records attempted so far. */
  sent(): number;
  /** Stops sending and waits for every outstanding send to settle. */
  stop(): Promise<void>;
}

/**
 * Sends `producer:n` for n = 0, 1, ... with 12 keys (each key keeps one partition, so per-partition send
 * order is checkable) and at most `maxInFlight` unsettled sends, `ratePerSec` records a second at most.
 */
export function produceLoad(
  producer: KafkaProducer,
  topic: string,
  history: Recorder,
  options: { name?: string; maxInFlight?: number; ratePerSec?: number } = {},
): ProducerLoad {
  const name = options.name ?? 'p0';
  const maxInFlight = options.maxInFlight ?? 1000;
  const rate = options.ratePerSec ?? 2000;
  let seq = 0;
  let stopping = false;
  const inflight = new Set<Promise<void>>();
  const started = Date.now();
  const loop = (async () => {
    while (!stopping) {
      if (inflight.size >= maxInFlight) {
        await Promise.race(inflight);
        continue;
      }
      // Paced: a fault test measures recovery, not throughput; a steady rate keeps 2 cores responsive.
      const due = started + (seq * 1000) / rate;
      if (due > Date.now()) {
        await sleep(Math.min(50, due - Date.now()));
        continue;
      }
      const id = recordId(name, seq++);
      history.attempt(id);
      const p: Promise<void> = producer
        .send(topic, id, { key: `k${seq % 12}` })
        .then(
          (m) => history.ack(id, m.partition, m.offset),
          (err: unknown) => history.fail(id, err),
        )
        .finally(() => inflight.delete(p));
      inflight.add(p);
    }
    await Promise.all(inflight);
  })();
  return {
    sent: () => seq,
    stop: async () => {
      stopping = true;
      await loop;
    },
  };
}

export interface GroupMember {
  readonly consumer: KafkaConsumer<Buffer, Buffer>;
  /** Closes the member (it leaves the group) and waits for its loop to end. */
  stop(): Promise<void>;
}

/**
 * One member of an at-least-once group, auto-commit off: each batch is recorded (handed on), then its
 * offsets committed. Errors from iteration or commit are recorded and the member carries on, as a service
 * would.
 */
export function groupMember(
  topic: string,
  history: Recorder,
  options: { bootstrapServers: string; groupId: string; name: string; extra?: Record<string, unknown> },
): GroupMember {
  const name = options.name;
  let generation = 0;
  let stopping = false;
  const consumer: KafkaConsumer<Buffer, Buffer> = new KafkaConsumer(topic, {
    bootstrapServers: options.bootstrapServers,
    groupId: options.groupId,
    autoOffsetReset: 'earliest',
    enableAutoCommit: false,
    onPartitionsAssigned: () => void generation++,
    onPartitionsRevoked: () => void generation++,
    ...options.extra,
  });
  const loop = (async () => {
    while (!stopping) {
      try {
        for await (const batch of consumer.batches({ timeoutMs: 200 })) {
          const next = new Map<number, number>();
          for (const r of batch) {
            history.consume(name, generation, r.partition, r.offset, r.value!.toString());
            next.set(r.partition, r.offset + 1);
          }
          if (next.size > 0) {
            const offsets = [...next].map(([partition, offset]) => ({ topic, partition, offset }));
            try {
              await consumer.commit(offsets);
              for (const o of offsets) history.commit(name, o.partition, o.offset);
            } catch (err) {
              // A failed commit is redelivery later, not loss: at-least-once carries on.
              if (isClosed(err)) return;
              history.error(err);
            }
          }
          if (stopping) return;
        }
      } catch (err) {
        if (stopping || isClosed(err)) return;
        history.error(err);
        await sleep(200);
      }
    }
  })();
  return {
    consumer,
    stop: async () => {
      stopping = true;
      await consumer.close();
      await loop;
    },
  };
}

export interface ConsumerLoad {
  /** Stops every member and waits for their loops to end. */
  stop(): Promise<void>;
  readonly members: GroupMember[];
}

/** `count` members of one group (groupMember). */
export function consumeLoad(
  topic: string,
  history: Recorder,
  options: { bootstrapServers: string; groupId: string; count?: number; extra?: Record<string, unknown> },
): ConsumerLoad {
  const members = Array.from({ length: options.count ?? 2 }, (_, i) =>
    groupMember(topic, history, { ...options, name: `c${i}` }),
  );
  return {
    members,
    stop: async () => {
      await Promise.all(members.map((m) => m.stop()));
    },
  };
}

function isClosed(err: unknown): boolean {
  return err instanceof KafkaError && err.code === '_DESTROY';
}

/** Reads every record of `topic` (all partitions, from offset 0 to the high watermark). */
export async function readLog(
  bootstrapServers: string,
  topic: string,
  partitions: number,
  isolationLevel: 'read_committed' | 'read_uncommitted' = 'read_uncommitted',
): Promise<LogEntry[]> {
  const consumer = new KafkaConsumer(undefined, { bootstrapServers, isolationLevel, enableAutoCommit: false });
  try {
    const tps = Array.from({ length: partitions }, (_, partition) => ({ topic, partition }));
    const ends = await consumer.endOffsets(tps, 30_000);
    const end = new Map(ends.map((e) => [e.partition, e.offset]));
    consumer.assign(tps.map((tp) => ({ ...tp, offset: 0 })));
    const log: LogEntry[] = [];
    const done = () => tps.every((tp) => (consumer.position([tp])[0]?.offset ?? -1) >= end.get(tp.partition)!);
    const deadline = Date.now() + 120_000;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`readLog: ${topic} not read to its end in 120 s`);
      for (const r of await consumer.poll({ timeoutMs: 500 }))
        log.push({ partition: r.partition, offset: r.offset, id: r.value!.toString() });
    }
    return log;
  } finally {
    await consumer.close();
  }
}

/** The producer options every fault test holds its load with. */
export const IDEMPOTENT: Partial<ProducerOptions> = { acks: 'all', enableIdempotence: true, lingerMs: 5 };

/**
 * Transactions of `perTransaction` records each, back to back, the way a careful application runs them:
 * a transaction with a failed send is aborted; a commit that fails retriably is retried, an abortable
 * failure aborts; when neither commit nor abort can be completed (fatal, or the coordinator gave up on the
 * transaction) the producer is closed and replaced (its initTransactions fences the old one), and the
 * transaction's outcome is recorded as unknown (the checker then wants it all or nothing).
 */
export function transactionalLoad(
  makeProducer: () => KafkaProducer,
  topic: string,
  history: Recorder,
  options: { name?: string; perTransaction?: number; pauseMs?: number } = {},
): ProducerLoad & { committed(): number; aborted(): number; replaced(): number; close(): Promise<void> } {
  const name = options.name ?? 't0';
  const per = options.perTransaction ?? 100;
  const pauseMs = options.pauseMs ?? 5;
  let seq = 0;
  let stopping = false;
  let committed = 0;
  let aborted = 0;
  let replaced = 0;
  let producer: KafkaProducer | undefined;

  const start = async (): Promise<KafkaProducer> => {
    for (;;) {
      const p = makeProducer();
      try {
        await p.initTransactions(60_000);
        return p;
      } catch (err) {
        history.error(err, 'init');
        await p.close(5000).catch(() => undefined);
        await sleep(1000);
      }
    }
  };
  const attempt = async (call: () => Promise<void>, what: string): Promise<'ok' | 'retry' | 'failed'> => {
    try {
      await call();
      return 'ok';
    } catch (err) {
      history.error(err, what);
      return err instanceof KafkaError && err.retriable && !err.fatal ? 'retry' : 'failed';
    }
  };
  const finish = async (p: KafkaProducer, commit: boolean): Promise<TransactionOutcome> => {
    for (let i = 0; commit && i < 3; i++) {
      const r = await attempt(() => p.commitTransaction(30_000), 'commit');
      if (r === 'ok') return 'committed';
      if (r === 'failed') break;
    }
    for (let i = 0; i < 3; i++) {
      const r = await attempt(() => p.abortTransaction(30_000), 'abort');
      if (r === 'ok') return 'aborted';
      if (r === 'failed') break;
    }
    return 'unknown';
  };

  const loop = (async () => {
    producer = await start();
    while (!stopping) {
      const p = producer;
      const ids: string[] = [];
      let sendFailed = false;
      try {
        p.beginTransaction();
      } catch (err) {
        history.error(err, 'begin');
        await p.close(5000).catch(() => undefined);
        producer = await start();
        replaced++;
        continue;
      }
      const sends: Promise<void>[] = [];
      for (let i = 0; i < per; i++) {
        const id = recordId(name, seq++);
        ids.push(id);
        history.attempt(id);
        sends.push(
          p.send(topic, id, { key: `k${seq % 12}` }).then(
            (m) => history.ack(id, m.partition, m.offset),
            (err: unknown) => {
              sendFailed = true;
              history.fail(id, err);
            },
          ),
        );
      }
      await Promise.all(sends);
      const outcome = await finish(p, !sendFailed);
      history.transaction(ids, outcome);
      if (outcome === 'committed') committed++;
      else if (outcome === 'aborted') aborted++;
      else {
        await p.close(5000).catch(() => undefined);
        producer = await start();
        replaced++;
      }
      await sleep(pauseMs);
    }
  })();
  return {
    sent: () => seq,
    committed: () => committed,
    aborted: () => aborted,
    replaced: () => replaced,
    stop: async () => {
      stopping = true;
      await loop;
    },
    close: async () => {
      await producer?.close(30_000);
    },
  };
}
