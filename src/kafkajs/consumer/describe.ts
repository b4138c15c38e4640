/** describeGroup(): the group as kafkajs's DescribeGroups response gives it. */
import type { KafkaAdmin } from '../../admin';
import { describedMember, groupState } from '../admin/described-group';
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
    state: groupState(group.state),
    members: group.members.map((m) => describedMember(m, m.memberId === self.memberId ? self.subscription : undefined)),
  };
}
