/**
 * The public types of kafkajs 2.2.4 (its types/index.d.ts), so that code typed against kafkajs compiles
 * unchanged against kafka-napi/kafkajs. Shapes, names and method signatures are kafkajs's; where kafkajs
 * says `any` this says `unknown` (a value the caller has to narrow), except where noted.
 *
 * Values live elsewhere: the Kafka class (kafka.ts), the error classes (errors.ts), the enums and
 * AssignerProtocol/PartitionAssigners/CompressionCodecs (enums.ts), Partitioners (partitioners.ts), and
 * logLevel with its logger types (logger.ts, re-exported here as types). One file per area:
 * config, admin, broker, producer, consumer, errors.
 *
 * Every declaration kafkajs's file has at top level is importable from kafkajs (a declaration file's
 * top-level declarations are exported), helpers such as XOR, Sender and ValueOf included; so all are
 * exported here.
 */
export type { LogEntry, Logger, LoggerEntryContent, logCreator } from '../logger';
export type * from './config';
export type * from './admin';
export type * from './events';
export type * from './broker';
export type * from './producer';
export type * from './consumer';
export type * from './errors';
