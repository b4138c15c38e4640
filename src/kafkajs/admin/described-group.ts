/** A group as kafkajs's DescribeGroups describes it, from KafkaAdmin's description. */
import type { ConsumerGroupDescription, GroupMember } from '../../admin/types';
import { AssignerProtocol } from '../enums';
import type { ConsumerGroupState, GroupDescription } from '../types';

const GROUP_STATES: Readonly<Record<string, ConsumerGroupState>> = {
  preparingRebalance: 'PreparingRebalance',
  completingRebalance: 'CompletingRebalance',
  stable: 'Stable',
  dead: 'Dead',
  empty: 'Empty',
};

export type DescribedGroup = GroupDescription & { errorCode: number };

/** A group as kafkajs's DescribeGroups response gives it (with its `errorCode`, 0). */
export function describedGroup(g: ConsumerGroupDescription): DescribedGroup {
  if (g.error) {
    // Newer brokers answer GROUP_ID_NOT_FOUND where those kafkajs's DescribeGroups version talks to
    // describe the group as Dead.
    if (g.error.code !== 'GROUP_ID_NOT_FOUND') throw g.error;
    return { errorCode: 0, groupId: g.groupId, state: 'Dead', protocolType: '', protocol: '', members: [] };
  }
  return {
    errorCode: 0,
    groupId: g.groupId,
    state: groupState(g.state),
    protocolType: g.isSimple ? '' : 'consumer',
    protocol: g.protocol,
    members: g.members.map((m) => describedMember(m)),
  };
}

/** A group state as kafkajs names it (Kafka's names; kafka-napi writes them in camel case). */
export function groupState(state: string): ConsumerGroupState {
  return GROUP_STATES[state] ?? 'Unknown';
}

/**
 * A member as kafkajs's DescribeGroups gives it. librdkafka does not pass the brokers' raw bytes on, so
 * memberAssignment is rebuilt from the assigned partitions (version 0, no userData) and memberMetadata
 * from `topics` (default: the topics of that assignment).
 */
export function describedMember(m: GroupMember, topics?: string[]): GroupDescription['members'][number] {
  const assignment: Record<string, number[]> = {};
  for (const { topic, partition } of m.assignment) (assignment[topic] ??= []).push(partition);
  return {
    memberId: m.memberId,
    clientId: m.clientId,
    clientHost: m.host,
    memberMetadata: AssignerProtocol.MemberMetadata.encode({
      version: 0,
      topics: topics ?? Object.keys(assignment),
      userData: Buffer.alloc(0),
    }),
    memberAssignment: AssignerProtocol.MemberAssignment.encode({ version: 0, assignment, userData: Buffer.alloc(0) }),
  };
}
