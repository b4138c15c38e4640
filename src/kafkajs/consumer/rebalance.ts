/** What a kafkajs consumer does around a rebalance that is not the consumer's own state. */
import type { TopicPartition } from '../../core/types';
import { tpKey } from '../offsets';
import type { Runner } from '../runner';
import type { KafkaJSConsumerConfig } from './engine';
import { protocolName } from './engine';

/** How long run() waits for a KIP-848 member's first partitions (a few heartbeats' worth). */
const KIP848_JOIN_WAIT_MS = 10_000;

/**
 * How long run() waits to join. The classic protocol reports every assignment, an empty one included,
 * within the rebalance; KIP-848 reports none for a member given nothing, so there the wait ends after a
 * few heartbeats' worth.
 */
export function joinWaitMs(config: KafkaJSConsumerConfig): number {
  return config.groupProtocol === 'consumer' ? KIP848_JOIN_WAIT_MS : (config.rebalanceTimeout ?? 60_000);
}

/** Waits for the first assignment, at most `timeoutMs`. */
export async function untilJoined(joined: Promise<void>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([joined, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
  clearTimeout(timer);
}

/** A partition list as kafkajs's memberAssignment: partitions by topic. */
export function byTopic(partitions: TopicPartition[]): Record<string, number[]> {
  const assignment: Record<string, number[]> = {};
  for (const tp of partitions) (assignment[tp.topic] ??= []).push(tp.partition);
  return assignment;
}

/** GROUP_JOIN's payload, as kafkajs's (librdkafka does not say who leads). */
export function groupJoinPayload(
  config: KafkaJSConsumerConfig,
  began: number,
  memberId: string,
  memberAssignment: Record<string, number[]>,
): Record<string, unknown> {
  return {
    duration: Date.now() - began,
    groupId: config.groupId,
    isLeader: false,
    leaderId: '',
    groupProtocol: protocolName(config),
    memberId,
    memberAssignment,
  };
}

/**
 * Revoked partitions: what the handlers are doing with them finishes first; then what they finished is
 * committed, so the next owner starts exactly after it; then the runner forgets them.
 */
export async function releasePartitions(
  runner: Runner,
  partitions: TopicPartition[],
  commitFailed: (e: unknown) => void,
): Promise<void> {
  await runner.idle();
  const revoked = new Set(partitions.map((tp) => tpKey(tp.topic, tp.partition)));
  if (runner.autoCommit) {
    await runner.commitResolved((topic, partition) => revoked.has(tpKey(topic, partition))).catch(commitFailed);
  }
  for (const tp of partitions) runner.offsets.forget(tp.topic, tp.partition);
}
