/**
 * Types of the statistics object `onStats` receives: librdkafka's JSON, parsed, as documented in
 * STATISTICS.md of librdkafka 2.15.1 and checked against what its rdkafka.c emits (two fields the
 * document leaves out, `commited_offset` and `fatal`, are typed from the source).
 *
 * Sizes are in bytes unless a comment says otherwise. Counters are 64-bit totals since the client was
 * created; gauges are current values. JSON numbers lose precision beyond 2^53, which no realistic
 * counter reaches. A field is optional only when librdkafka leaves it out of some reports: every
 * broker, topic and partition field is always there, with -1 or -1001 (invalid offset) where it does
 * not apply to this client type. test/integration/stats.test.ts checks these types against real
 * reports.
 */

export interface RdKafkaStats {
  /** Handle instance name, e.g. `rdkafka#producer-1`. */
  name: string;
  /** The configured (or default) `client.id`. */
  client_id: string;
  /** Admin clients report as `producer`: they are librdkafka producer handles. */
  type: 'producer' | 'consumer';
  /** librdkafka's monotonic clock, microseconds; only differences between reports mean anything. */
  ts: number;
  /** Wall clock, seconds since the epoch. */
  time: number;
  /** Time since the client was created, microseconds. */
  age: number;
  /** Gauge: ops (callbacks, events) queued for the application to serve. */
  replyq: number;
  /** Gauge: messages in the producer queues. */
  msg_cnt: number;
  /** Gauge: total size of the messages in the producer queues. */
  msg_size: number;
  /** Limit on messages in the producer queues (`queue.buffering.max.messages`); 0 for a consumer. */
  msg_max: number;
  /** Limit on total message size in the producer queues (`queue.buffering.max.kbytes` in bytes); 0 for a consumer. */
  msg_size_max: number;
  /** Total requests sent to brokers. May lag the sum of the brokers' `tx`: they are read at different instants. */
  tx: number;
  /** Total bytes sent to brokers. */
  tx_bytes: number;
  /** Total responses received from brokers. */
  rx: number;
  /** Total bytes received from brokers. */
  rx_bytes: number;
  /** Total messages produced to brokers. */
  txmsgs: number;
  /** Total bytes of produced messages, including per-message and batch framing. */
  txmsg_bytes: number;
  /** Total messages consumed, not counting those skipped (e.g. below the fetch offset). */
  rxmsgs: number;
  /** Total bytes of consumed messages, including framing. */
  rxmsg_bytes: number;
  /** Gauge: internal tracking of legacy (simple) vs high-level consumer API use. */
  simple_cnt: number;
  /** Gauge: topics in the metadata cache. */
  metadata_cache_cnt: number;
  /** Keyed by broker name (`host:port/id`); includes bootstrap, logical and internal brokers. */
  brokers: Record<string, RdKafkaBrokerStats>;
  /** Keyed by topic name: the topics this client has a handle for. */
  topics: Record<string, RdKafkaTopicStats>;
  /** Only for a consumer with a `groupId`. */
  cgrp?: RdKafkaConsumerGroupStats;
  /** Only for an idempotent or transactional producer. */
  eos?: RdKafkaEosStats;
  /** Only after a fatal error; not in STATISTICS.md (emitted by rdkafka.c). */
  fatal?: RdKafkaFatalStats;
}

/** One broker's entry in librdkafka's statistics (`brokers`): connection state, request counts, latencies. */
export interface RdKafkaBrokerStats {
  /** `host:port/id`; IPv6 addresses in brackets (RFC 3986), e.g. `[::1]:9092/13`. */
  name: string;
  /** Broker id; -1 for bootstrap and logical (e.g. coordinator) brokers. */
  nodeid: number;
  /** `host:port`; IPv6 addresses in brackets. Empty for a logical broker without an address yet. */
  nodename: string;
  /** How the client knows the broker. */
  source: 'configured' | 'learned' | 'internal' | 'logical';
  /**
   * Connection state. A string, not a union: STATISTICS.md's list is already out of date. In 2.15.1:
   * INIT, DOWN, TRY_CONNECT, CONNECT, SSL_HANDSHAKE, AUTH_LEGACY, UP, APIVERSION_QUERY, AUTH_HANDSHAKE,
   * AUTH_REQ, REAUTH.
   */
  state: string;
  /** Time since the last state change, microseconds. */
  stateage: number;
  /** Gauge: requests waiting to be sent. */
  outbuf_cnt: number;
  /** Gauge: messages in the requests waiting to be sent. */
  outbuf_msg_cnt: number;
  /** Gauge: requests in flight, awaiting a response. */
  waitresp_cnt: number;
  /** Gauge: messages in the requests in flight. */
  waitresp_msg_cnt: number;
  /** Total requests sent. */
  tx: number;
  /** Total bytes sent. */
  txbytes: number;
  /** Total send errors. */
  txerrs: number;
  /** Total request retries. */
  txretries: number;
  /** Time since the last socket send, microseconds; -1 before the first send on this connection. */
  txidle: number;
  /** Total requests that timed out. */
  req_timeouts: number;
  /** Total responses received. */
  rx: number;
  /** Total bytes received. */
  rxbytes: number;
  /** Total receive errors. */
  rxerrs: number;
  /** Total responses with an unknown correlation id, typically for requests that had timed out. */
  rxcorriderrs: number;
  /** Total partial MessageSets received: the broker cut them to fit the Fetch response size. */
  rxpartial: number;
  /** Time since the last socket receive, microseconds; -1 before the first receive on this connection. */
  rxidle: number;
  /** Requests sent, keyed by request type name (e.g. `Produce`, `Fetch`, `Metadata`). */
  req: Record<string, number>;
  /** Total decompression buffer size increases. */
  zbuf_grow: number;
  /** Deprecated and unused by librdkafka: always 0. */
  buf_grow: number;
  /** Total wakeups of the broker thread's poll loop. */
  wakeups: number;
  /** Connection attempts, successful or not, including name resolution failures. */
  connects: number;
  /** Disconnects, whatever the cause (broker, network, load balancer). */
  disconnects: number;
  /** Time messages wait in the producer queue, microseconds. */
  int_latency: RdKafkaWindowStats;
  /** Time a request waits in the send queue before it is written to the socket, microseconds. */
  outbuf_latency: RdKafkaWindowStats;
  /** Round-trip time, microseconds. */
  rtt: RdKafkaWindowStats;
  /** Throttle time the broker asked for, milliseconds. */
  throttle: RdKafkaWindowStats;
  /** Partitions this broker handle serves, keyed by `topic-partition`. */
  toppars: Record<string, RdKafkaBrokerTopparStats>;
}

/**
 * Rolling window over one stats interval: each report starts a new window. The unit is that of the
 * field holding it (microseconds unless that field says otherwise).
 */
export interface RdKafkaWindowStats {
  /** Smallest value. */
  min: number;
  /** Largest value. */
  max: number;
  /** Average value. */
  avg: number;
  /** Sum of the values. */
  sum: number;
  /** Number of values sampled. */
  cnt: number;
  /** Standard deviation, from the histogram. */
  stddev: number;
  /** Memory used by the HDR histogram, bytes. */
  hdrsize: number;
  /** 50th percentile. */
  p50: number;
  /** 75th percentile. */
  p75: number;
  /** 90th percentile. */
  p90: number;
  /** 95th percentile. */
  p95: number;
  /** 99th percentile. */
  p99: number;
  /** 99.99th percentile. */
  p99_99: number;
  /** Values left out because they fell outside the histogram's range. */
  outofrange: number;
}

/** A partition as seen from the broker handle that serves it. */
export interface RdKafkaBrokerTopparStats {
  /** Topic name. */
  topic: string;
  /** Partition id. */
  partition: number;
}

/** One topic's entry in librdkafka's statistics (`topics`), with its partitions. */
export interface RdKafkaTopicStats {
  /** Topic name. */
  topic: string;
  /** Age of the client's topic object, milliseconds. */
  age: number;
  /** Age of the broker metadata for this topic, milliseconds; 0 before any. */
  metadata_age: number;
  /** Produced batch sizes, bytes. */
  batchsize: RdKafkaWindowStats;
  /** Produced batch sizes, messages. */
  batchcnt: RdKafkaWindowStats;
  /** Keyed by partition id; `-1` is the internal unassigned partition (messages not yet partitioned). */
  partitions: Record<string, RdKafkaPartitionStats>;
}

/**
 * Offsets are -1001 (librdkafka's invalid offset) when unknown, and leader epochs -1. librdkafka emits
 * the producer and consumer fields for both client types: the ones that do not apply stay at these
 * values or 0.
 */
export interface RdKafkaPartitionStats {
  /** Partition id; -1 for the internal unassigned partition. */
  partition: number;
  /** Id of the broker messages are currently fetched from (or produced to); -1 when none. */
  broker: number;
  /** Id of the current leader broker. */
  leader: number;
  /** The application explicitly asked for this partition. */
  desired: boolean;
  /** The partition is not in the topic's metadata from the broker. */
  unknown: boolean;
  /** Gauge: messages waiting to be produced in the first-level queue. */
  msgq_cnt: number;
  /** Gauge: bytes in `msgq_cnt`. */
  msgq_bytes: number;
  /** Gauge: messages ready to be produced in the transmit queue. Always 0: librdkafka does not sample it. */
  xmit_msgq_cnt: number;
  /** Gauge: bytes in `xmit_msgq_cnt`. Always 0, like it. */
  xmit_msgq_bytes: number;
  /** Gauge: pre-fetched messages in the fetch queue. */
  fetchq_cnt: number;
  /** Gauge: bytes in the fetch queue. */
  fetchq_size: number;
  /**
   * Consumer fetch state. In 2.15.1: none, stopping, stopped, offset-query, offset-wait,
   * validate-epoch-wait, active.
   */
  fetch_state: string;
  /** Current or last logical offset queried. */
  query_offset: number;
  /** Next offset to fetch. */
  next_offset: number;
  /** Offset of the last message passed to the application, plus one. */
  app_offset: number;
  /** Offset to be committed. */
  stored_offset: number;
  /** Leader epoch of `stored_offset`. */
  stored_leader_epoch: number;
  /** @deprecated Misspelled copy of `committed_offset` librdkafka keeps for compatibility; not in STATISTICS.md. */
  commited_offset: number;
  /** Last committed offset. */
  committed_offset: number;
  /** Leader epoch of `committed_offset`. */
  committed_leader_epoch: number;
  /** Offset of the last partition EOF signalled. */
  eof_offset: number;
  /** Low watermark offset on the broker. */
  lo_offset: number;
  /** High watermark offset on the broker. */
  hi_offset: number;
  /** Last stable offset on the broker (equal to `hi_offset` on brokers before 0.11). */
  ls_offset: number;
  /**
   * Messages behind: `hi_offset` (read_uncommitted) or `ls_offset` (read_committed) minus
   * `committed_offset`; -1 when either is unknown.
   */
  consumer_lag: number;
  /** Like `consumer_lag`, from `stored_offset`: current before offsets are committed. */
  consumer_lag_stored: number;
  /** Last known leader epoch; -1 if unknown. */
  leader_epoch: number;
  /** Total messages produced. */
  txmsgs: number;
  /** Total bytes of `txmsgs`. */
  txbytes: number;
  /** Total messages consumed, not counting those skipped (e.g. below the fetch offset). */
  rxmsgs: number;
  /** Total bytes of `rxmsgs`. */
  rxbytes: number;
  /** Producer: total messages produced, delivered or not yet. Consumer: same as `rxmsgs`. */
  msgs: number;
  /** Total outdated messages dropped. */
  rx_ver_drops: number;
  /** Gauge: messages in flight to or from the broker. */
  msgs_inflight: number;
  /** Gauge: next sequence number expected to be acknowledged (idempotent producer). */
  next_ack_seq: number;
  /** Gauge: next sequence number expected to fail (idempotent producer). */
  next_err_seq: number;
  /** Last acknowledged internal message id (idempotent producer). */
  acked_msgid: number;
}

/** The consumer group's state in librdkafka's statistics (`cgrp`). */
export interface RdKafkaConsumerGroupStats {
  /**
   * Group handler state. In 2.15.1: init, term, query-coord, wait-coord, wait-broker,
   * wait-broker-transport, up.
   */
  state: string;
  /** Time since the last `state` change, milliseconds. */
  stateage: number;
  /**
   * Join state. In 2.15.1: init, wait-join, wait-metadata, wait-sync, wait-assign-call,
   * wait-unassign-call, wait-unassign-to-complete, wait-incr-unassign-to-complete, steady
   * (STATISTICS.md's example, `assigned`, predates these).
   */
  join_state: string;
  /** Time since the last rebalance (assign or revoke), milliseconds. */
  rebalance_age: number;
  /** Total rebalances (assign or revoke). */
  rebalance_cnt: number;
  /** Reason for the last rebalance; empty if none. */
  rebalance_reason: string;
  /** Gauge: partitions in the current assignment. */
  assignment_size: number;
}

/** The idempotent / transactional producer's state in librdkafka's statistics (`eos`). */
export interface RdKafkaEosStats {
  /**
   * Producer id state. In 2.15.1: Init, Terminate, FatalError, RequestPID, WaitTransport, WaitPID,
   * Assigned, DrainReset, DrainBump, WaitTxnAbort.
   */
  idemp_state: string;
  /** Time since the last `idemp_state` change, milliseconds. */
  idemp_stateage: number;
  /**
   * Transaction state (Init for a producer that is idempotent but not transactional). In 2.15.1:
   * Init, WaitPID, ReadyNotAcked, Ready, InTransaction, BeginCommit, CommittingTransaction,
   * CommitNotAcked, BeginAbort, AbortingTransaction, AbortedNotAcked, AbortableError, FatalError.
   */
  txn_state: string;
  /** Time since the last `txn_state` change, milliseconds. */
  txn_stateage: number;
  /** The transaction state allows producing new messages. */
  txn_may_enq: boolean;
  /** Current producer id; -1 when none is assigned. */
  producer_id: number;
  /** Current producer epoch; -1 when none is assigned. */
  producer_epoch: number;
  /** Producer id assignments since the client started. */
  epoch_cnt: number;
}

/** The client's fatal error (the one `onFatal` reports). */
export interface RdKafkaFatalStats {
  /** Error description, e.g. `Broker: Producer attempted an operation with an old epoch`. */
  error: string;
  /** Why the error was raised, as reported with it. */
  reason: string;
  /** Fatal errors raised; only the first is kept. */
  cnt: number;
}
