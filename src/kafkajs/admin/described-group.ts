/** A group as kafkajs's DescribeGroups describes it, from KafkaAdmin's description. */
import type { ConsumerGroupDescription } from '../../admin/types';
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
    state: GROUP_STATES[g.state] ?? 'Unknown',
    protocolType: g.isSimple ? '' : 'consumer',
    protocol: g.protocol,
    members: g.members.map((m) => {
      const assignment: Record<string, number[]> = {};
      for (const { topic, partition } of m.assignment) (assignment[topic] ??= []).push(partition);
      return {
        memberId: m.memberId,
        clientId: m.clientId,
        clientHost: m.host,
        memberMetadata: AssignerProtocol.MemberMetadata.encode({
          version: 0,
          topics: Object.keys(assignment),
          userData: Buffer.alloc(0),
        }),
        memberAssignment: AssignerProtocol.MemberAssignment.encode({
          version: 0,
          assignment,
          userData: Buffer.alloc(0),
        }),
      };
    }),
  };
}
