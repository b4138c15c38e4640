/** describeGroup(): the group as kafkajs's DescribeGroups response gives it. */
import type { KafkaAdmin } from '../../admin';
import { AssignerProtocol } from '../enums';
import type { GroupDescription } from '../types';

/**
 * `subscription` is this member's metadata (its topics); other members' are rebuilt from their
 * assignment, since librdkafka does not pass the brokers' raw bytes on.
 */
export async function describeGroup(
  admin: KafkaAdmin,
  groupId: string,
  self: { memberId: string; subscription: string[] },
): Promise<GroupDescription> {
  const [group] = await admin.describeConsumerGroups([groupId]);
  if (group.error) throw group.error;
  return {
    groupId,
    protocol: group.protocol,
    protocolType: 'consumer',
    state: kafkaGroupState(group.state),
    members: group.members.map((m) => {
      const assignment: Record<string, number[]> = {};
      for (const tp of m.assignment) (assignment[tp.topic] ??= []).push(tp.partition);
      return {
        memberId: m.memberId,
        clientId: m.clientId,
        clientHost: m.host,
        memberMetadata: AssignerProtocol.MemberMetadata.encode({
          version: 0,
          topics: m.memberId === self.memberId ? self.subscription : Object.keys(assignment),
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

/** Kafka's state names (kafka-napi writes them in camel case). */
function kafkaGroupState(state: string): GroupDescription['state'] {
  const name = state.charAt(0).toUpperCase() + state.slice(1);
  const known = ['PreparingRebalance', 'CompletingRebalance', 'Stable', 'Dead', 'Empty'];
  return (known.includes(name) ? name : 'Unknown') as GroupDescription['state'];
}
