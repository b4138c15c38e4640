/**
 * Limits and protocol numbers the native side checks or sends, read from it (native/core/bounds.h) so both
 * sides share one definition.
 */
import { addon } from '../native/addon';

const limits = addon.limits();

/** Kafka's own limit on topic names. */
export const MAX_TOPIC_LENGTH = limits.topicLength;
/** Group ids, transactional ids, user names and subscription patterns. */
export const MAX_NAME_LENGTH = limits.nameLength;
/** Longest SCRAM password alterUserScramCredentials takes (it is hashed on librdkafka's thread). */
export const MAX_SCRAM_PASSWORD_BYTES = limits.scramPasswordBytes;
/** Kafka's range of SCRAM iterations, and the default. */
export const SCRAM_ITERATIONS: Readonly<{ min: number; max: number; default: number }> = limits.scramIterations;
/** KIP-932's acknowledge types, as librdkafka numbers them. */
export const ACK_TYPES: Readonly<{ accept: number; release: number; reject: number }> = limits.ackTypes;
