/**
 * What happened, as the clients saw it, and a checker that compares it with what the log holds.
 *
 * Producers record every attempt and its outcome (acknowledged at a partition and offset, failed, or
 * inside a transaction that committed or aborted); consumers record every record they were handed and
 * every offset they committed. At the end the topic is read whole (`LogEntry[]`) and `check()` reports,
 * per partition, what the guarantee under test forbids:
 * - lost: acknowledged (or committed in a transaction) but absent from the log, or never consumed;
 * - duplicated: one attempt written more than once;
 * - reordered: one producer's records out of send order within a partition, or a consumer handed a
 *   partition's offsets out of order without a rebalance in between;
 * - phantom: in the log or handed to a consumer but never sent, or sent in an aborted transaction and
 *   seen by a read_committed reader, or acknowledged at an offset that holds something else.
 * Record values are the ids `producer:sequence`, so every record names its origin and send order.
 */
import * as fs from 'node:fs';

export type Guarantee = 'idempotent' | 'at-least-once' | 'exactly-once';

/**
 * 'unknown': neither commit nor abort succeeded (the producer was replaced, and the coordinator decides):
 * the transaction must then be all or nothing in the log.
 */
export type TransactionOutcome = 'committed' | 'aborted' | 'unknown';

export interface LogEntry {
  partition: number;
  offset: number;
  id: string;
}

interface Ack {
  partition: number;
  offset: number;
  atMs: number;
}

interface Consumed {
  consumer: string;
  generation: number;
  partition: number;
  offset: number;
  id: string;
  atMs: number;
}

export interface Report {
  guarantee: Guarantee;
  attempted: number;
  acknowledged: number;
  failed: number;
  /** Neither acknowledged nor failed (nor in an aborted transaction) when the history was checked. */
  unresolved: number;
  /** Transactions: records in committed / aborted ones. */
  inCommitted: number;
  inAborted: number;
  /** Records of transactions whose outcome the producer never learnt (checked all-or-nothing). */
  inUnknown: number;
  logRecords: number;
  consumed: number;
  /**
   * Acknowledged with offset -1: the broker answered an idempotent retry with DUPLICATE_SEQUENCE_NUMBER
   * (written before; no offset returned). Checked by id and partition instead of by offset.
   */
  acknowledgedWithoutOffset: number;
  /** Records handed out more than once (allowed under at-least-once; a rebalance redelivers). */
  redelivered: number;
  commits: number;
  lost: string[];
  duplicated: string[];
  reordered: string[];
  phantom: string[];
  /** Commits of offsets the committing consumer had not been handed yet. */
  commitsAhead: string[];
  /** Every error seen, by class and code: "KafkaError:_MSG_TIMED_OUT" -> count. */
  errors: Record<string, number>;
}

export function recordId(producer: string, seq: number): string {
  return `${producer}:${seq}`;
}

function parseId(id: string): { producer: string; seq: number } | undefined {
  const i = id.lastIndexOf(':');
  const seq = Number(id.slice(i + 1));
  if (i <= 0 || !Number.isInteger(seq)) return undefined;
  return { producer: id.slice(0, i), seq };
}

/** What the load records into: a History in memory, or a HistoryFile (the soak, kept out of its heap). */
export interface Recorder {
  attempt(id: string): void;
  ack(id: string, partition: number, offset: number): void;
  fail(id: string, error: unknown): void;
  transaction(ids: string[], outcome: TransactionOutcome): void;
  consume(consumer: string, generation: number, partition: number, offset: number, id: string): void;
  commit(consumer: string, partition: number, offset: number): void;
  /** `context` names the call when it helps (e.g. 'commit'), as a prefix of the key. */
  error(error: unknown, context?: string): void;
}

export class History implements Recorder {
  private readonly attempts = new Set<string>();
  private readonly acks = new Map<string, Ack>();
  private readonly failures = new Map<string, string>();
  private readonly committedTxn = new Set<string>();
  private readonly abortedTxn = new Set<string>();
  private readonly unknownTxns: string[][] = [];
  private readonly unknownTxn = new Set<string>();
  private readonly consumed: Consumed[] = [];
  private readonly commitList: Array<{ consumer: string; partition: number; offset: number }> = [];
  private readonly errorCounts = new Map<string, number>();
  /** Highest offset each consumer was handed, per partition, when it committed (for commitsAhead). */
  private readonly handed = new Map<string, Map<number, number>>();
  private readonly aheadList: string[] = [];

  attempt(id: string): void {
    this.attempts.add(id);
  }

  ack(id: string, partition: number, offset: number, atMs = Date.now()): void {
    this.acks.set(id, { partition, offset, atMs });
  }

  fail(id: string, error: unknown): void {
    this.failures.set(id, describe(error));
    this.error(error);
  }

  /** Replays a HistoryFile. */
  static read(file: string): History {
    const h = new History();
    const text = fs.readFileSync(file, 'utf8');
    for (const line of text.split('\n')) {
      if (!line) continue;
      const e = JSON.parse(line) as [string, ...Array<string | number | string[]>];
      const [kind, a, b, c, d, e5, f] = e;
      if (kind === 'a') h.attempt(a as string);
      else if (kind === 'k') h.ack(a as string, b as number, c as number, d as number);
      else if (kind === 'f') h.failRecorded(a as string, b as string);
      else if (kind === 't') h.transaction(a as string[], b as TransactionOutcome);
      else if (kind === 'c') h.consume(a as string, b as number, c as number, d as number, e5 as string, f as number);
      else if (kind === 'm') h.commit(a as string, b as number, c as number);
      else if (kind === 'e') h.errorRecorded(a as string);
    }
    return h;
  }

  private failRecorded(id: string, described: string): void {
    this.failures.set(id, described);
    this.errorRecorded(described);
  }

  private errorRecorded(key: string): void {
    this.errorCounts.set(key, (this.errorCounts.get(key) ?? 0) + 1);
  }

  /** A transaction's records: committed (must appear exactly once) or aborted (must never be read). */
  transaction(ids: string[], outcome: TransactionOutcome): void {
    if (outcome === 'unknown') {
      this.unknownTxns.push(ids);
      for (const id of ids) this.unknownTxn.add(id);
      return;
    }
    for (const id of ids) (outcome === 'committed' ? this.committedTxn : this.abortedTxn).add(id);
  }

  /** `generation` changes whenever the consumer's assignment changes (rebalance). */
  consume(
    consumer: string,
    generation: number,
    partition: number,
    offset: number,
    id: string,
    atMs = Date.now(),
  ): void {
    this.consumed.push({ consumer, generation, partition, offset, id, atMs });
    let byPartition = this.handed.get(consumer);
    if (!byPartition) this.handed.set(consumer, (byPartition = new Map()));
    byPartition.set(partition, Math.max(byPartition.get(partition) ?? -1, offset));
  }

  /** `offset` is the next offset to read, as Kafka commits it. */
  commit(consumer: string, partition: number, offset: number): void {
    this.commitList.push({ consumer, partition, offset });
    const handed = this.handed.get(consumer)?.get(partition) ?? -1;
    if (offset > handed + 1)
      this.aheadList.push(`${consumer} committed p${partition}@${offset}, handed up to ${handed}`);
  }

  /** Any error a client surfaced (send, commit, iteration, close), counted by class and code. */
  error(error: unknown, context?: string): void {
    this.errorRecorded(describe(error, context));
  }

  get acknowledged(): number {
    return this.acks.size;
  }

  /**
   * Time to recover from a fault healed at `healedAt`: until both an acknowledgement and a consumed
   * record (unless `withConsumers` is false) happened after it (undefined while either has not).
   */
  recoveredAfter(healedAt: number, withConsumers = true): number | undefined {
    let ack = Infinity;
    for (const a of this.acks.values()) if (a.atMs >= healedAt) ack = Math.min(ack, a.atMs);
    let consumed = withConsumers ? Infinity : 0;
    for (let i = this.consumed.length - 1; i >= 0 && this.consumed[i].atMs >= healedAt; i--)
      consumed = this.consumed[i].atMs;
    const at = Math.max(ack, consumed);
    return at === Infinity ? undefined : at - healedAt;
  }

  /**
   * The longest time in [from, to] without an acknowledgement (`acks`) or without a record handed to a
   * consumer (`consumed`): how long the fault stopped the load.
   */
  longestStall(from: number, to: number): { acks: number; consumed: number } {
    const gap = (times: number[]) => {
      let last = from;
      let longest = 0;
      for (const t of times.filter((x) => x >= from && x <= to).sort((a, b) => a - b)) {
        longest = Math.max(longest, t - last);
        last = t;
      }
      return Math.max(longest, to - last);
    };
    return {
      acks: gap([...this.acks.values()].map((a) => a.atMs)),
      consumed: this.consumed.length === 0 ? 0 : gap(this.consumed.map((c) => c.atMs)),
    };
  }

  consumedIds(): Set<string> {
    return new Set(this.consumed.map((c) => c.id));
  }

  ackedIds(): string[] {
    return [...this.acks.keys()];
  }

  committedTxnIds(): string[] {
    return [...this.committedTxn];
  }

  check(log: LogEntry[], guarantee: Guarantee): Report {
    const lost: string[] = [];
    const duplicated: string[] = [];
    const reordered: string[] = [];
    const phantom: string[] = [];

    const inLog = new Map<string, LogEntry[]>();
    for (const e of log) {
      const list = inLog.get(e.id);
      if (list) list.push(e);
      else inLog.set(e.id, [e]);
    }
    const at = new Map<string, string>(log.map((e) => [`${e.partition}@${e.offset}`, e.id]));

    // What the log holds.
    for (const [id, entries] of inLog) {
      if (!this.attempts.has(id)) phantom.push(`${id} in the log, never sent`);
      if (entries.length > 1)
        duplicated.push(`${id} at ${entries.map((e) => `p${e.partition}@${e.offset}`).join(', ')}`);
      if (guarantee === 'exactly-once' && this.abortedTxn.has(id)) phantom.push(`${id} from an aborted transaction`);
    }
    // One producer's records within a partition: in send order.
    const lastSeq = new Map<string, { seq: number; offset: number }>();
    for (const e of [...log].sort((a, b) => a.partition - b.partition || a.offset - b.offset)) {
      const parsed = parseId(e.id);
      if (!parsed) continue;
      const k = `${e.partition}/${parsed.producer}`;
      const last = lastSeq.get(k);
      if (last && parsed.seq <= last.seq)
        reordered.push(`p${e.partition}: ${e.id}@${e.offset} after ${parsed.producer}:${last.seq}@${last.offset}`);
      lastSeq.set(k, { seq: parsed.seq, offset: e.offset });
    }
    // Every acknowledgement names where the record is (in a transaction: once the transaction committed;
    // an aborted one's records are in the log but never read by read_committed).
    let withoutOffset = 0;
    for (const [id, ack] of this.acks) {
      if (guarantee === 'exactly-once' && !this.committedTxn.has(id)) continue;
      const there = at.get(`${ack.partition}@${ack.offset}`);
      if (!inLog.has(id)) lost.push(`${id} acknowledged at p${ack.partition}@${ack.offset}, not in the log`);
      else if (ack.offset < 0) {
        withoutOffset++;
        if (!inLog.get(id)!.some((e) => e.partition === ack.partition))
          phantom.push(`${id} acknowledged at p${ack.partition} (no offset), in the log elsewhere`);
      } else if (there !== id)
        phantom.push(`${id} acknowledged at p${ack.partition}@${ack.offset}, which holds ${there}`);
    }
    if (guarantee === 'exactly-once') {
      // A transaction whose outcome the producer never learnt: all of it or none of it.
      for (const ids of this.unknownTxns) {
        const acked = ids.filter((id) => this.acks.has(id));
        const present = acked.filter((id) => inLog.has(id)).length;
        if (present !== 0 && present !== acked.length)
          phantom.push(`transaction ${ids[0]}..: ${present} of its ${acked.length} acknowledged records in the log`);
      }
      for (const id of this.committedTxn)
        if (!inLog.has(id)) lost.push(`${id} committed in a transaction, not in the log`);
    }

    // What consumers were handed.
    let redelivered = 0;
    if (guarantee === 'at-least-once' || this.consumed.length > 0) {
      const seen = new Set<string>();
      const last = new Map<string, { generation: number; offset: number }>();
      for (const c of this.consumed) {
        const there = at.get(`${c.partition}@${c.offset}`);
        if (there !== c.id)
          phantom.push(`${c.consumer} handed ${c.id} at p${c.partition}@${c.offset}, the log has ${there}`);
        if (seen.has(c.id)) redelivered++;
        seen.add(c.id);
        const k = `${c.consumer}/${c.partition}`;
        const prev = last.get(k);
        if (prev && prev.generation === c.generation && c.offset <= prev.offset)
          reordered.push(`${c.consumer} p${c.partition}: offset ${c.offset} after ${prev.offset} without a rebalance`);
        last.set(k, { generation: c.generation, offset: c.offset });
      }
      const mustSee = guarantee === 'exactly-once' ? this.committedTxn : new Set(this.acks.keys());
      for (const id of mustSee) if (!seen.has(id)) lost.push(`${id} never handed to a consumer`);
      if (guarantee === 'exactly-once' && redelivered > 0) duplicated.push(`${redelivered} records handed out twice`);
    }

    let failed = 0;
    const settledTxn = (id: string) => this.abortedTxn.has(id) || this.unknownTxn.has(id);
    for (const id of this.failures.keys()) if (!this.acks.has(id) && !settledTxn(id)) failed++;
    let unresolved = 0;
    for (const id of this.attempts) if (!this.acks.has(id) && !this.failures.has(id) && !settledTxn(id)) unresolved++;
    return {
      guarantee,
      attempted: this.attempts.size,
      acknowledged: this.acks.size,
      failed,
      unresolved,
      inCommitted: this.committedTxn.size,
      inAborted: this.abortedTxn.size,
      inUnknown: this.unknownTxn.size,
      logRecords: log.length,
      consumed: this.consumed.length,
      acknowledgedWithoutOffset: withoutOffset,
      redelivered,
      commits: this.commitList.length,
      lost,
      duplicated,
      reordered,
      phantom,
      commitsAhead: [...this.aheadList],
      errors: Object.fromEntries(this.errorCounts),
    };
  }
}

/**
 * A Recorder that appends each event as a JSON line to a file (written every 500 ms), for runs too long
 * to keep the history in the measured process's heap; `History.read(file)` replays it.
 */
export class HistoryFile implements Recorder {
  private lines: string[] = [];
  private readonly timer: NodeJS.Timeout;

  constructor(readonly file: string) {
    fs.writeFileSync(file, '');
    this.timer = setInterval(() => this.flush(), 500);
    this.timer.unref();
  }

  private put(event: Array<string | number | string[]>): void {
    this.lines.push(JSON.stringify(event));
  }

  attempt(id: string): void {
    this.put(['a', id]);
  }
  ack(id: string, partition: number, offset: number): void {
    this.put(['k', id, partition, offset, Date.now()]);
  }
  fail(id: string, error: unknown): void {
    this.put(['f', id, describe(error)]);
  }
  transaction(ids: string[], outcome: TransactionOutcome): void {
    this.put(['t', ids, outcome]);
  }
  consume(consumer: string, generation: number, partition: number, offset: number, id: string): void {
    this.put(['c', consumer, generation, partition, offset, id, Date.now()]);
  }
  commit(consumer: string, partition: number, offset: number): void {
    this.put(['m', consumer, partition, offset]);
  }
  error(error: unknown, context?: string): void {
    this.put(['e', describe(error, context)]);
  }

  flush(): void {
    if (this.lines.length === 0) return;
    fs.appendFileSync(this.file, this.lines.join('\n') + '\n');
    this.lines = [];
  }

  close(): void {
    clearInterval(this.timer);
    this.flush();
  }
}

/** The violations in a report, one line each (empty when the guarantee held). */
export function violations(report: Report): string[] {
  const cap = (label: string, list: string[]) =>
    list.length === 0
      ? []
      : [`${list.length} ${label}: ${list.slice(0, 5).join('; ')}${list.length > 5 ? '; ...' : ''}`];
  return [
    ...cap('lost', report.lost),
    ...cap('duplicated', report.duplicated),
    ...cap('reordered', report.reordered),
    ...cap('phantom', report.phantom),
    ...cap('commits ahead of processing', report.commitsAhead),
  ];
}

/** One line for logs and docs/reliability.md. */
export function summary(report: Report): string {
  return (
    `${report.guarantee}: attempted ${report.attempted}, acknowledged ${report.acknowledged}, failed ${report.failed}, ` +
    `unresolved ${report.unresolved}; ` +
    (report.guarantee === 'exactly-once'
      ? `in committed transactions ${report.inCommitted}, aborted ${report.inAborted}; `
      : '') +
    (report.acknowledgedWithoutOffset > 0
      ? `acknowledged without an offset ${report.acknowledgedWithoutOffset}; `
      : '') +
    `log ${report.logRecords}; consumed ${report.consumed} ` +
    `(redelivered ${report.redelivered}), commits ${report.commits}; lost ${report.lost.length}, ` +
    `duplicated ${report.duplicated.length}, reordered ${report.reordered.length}, phantom ${report.phantom.length}` +
    (Object.keys(report.errors).length > 0 ? `; errors ${JSON.stringify(report.errors)}` : '')
  );
}

/** "KafkaError:CODE[flags]" (flags: retriable, abortable, fatal), prefixed by "context " when given. */
function describe(error: unknown, context?: string): string {
  const prefix = context ? `${context} ` : '';
  if (error instanceof Error) {
    const e = error as { code?: unknown; retriable?: unknown; abortable?: unknown; fatal?: unknown };
    const flags = (['retriable', 'abortable', 'fatal'] as const).filter((f) => e[f] === true);
    const code = e.code === undefined ? '' : `:${String(e.code)}`;
    return `${prefix}${error.name}${code}${flags.length > 0 ? `[${flags.join(',')}]` : ''}`;
  }
  return `${prefix}non-Error:${typeof error}`;
}
