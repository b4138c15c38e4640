/** kafkajs Admin calls on groups and the cluster. */
import { KafkaJSDeleteGroupsError, KafkaJSError, KafkaJSNonRetriableError, KafkaJSProtocolError } from '../errors';
import type { DeleteGroupsResult, GroupDescriptions, GroupOverview } from '../types';
import { describedGroup } from './described-group';
import { errorCodeOf, type AdminSession } from './session';

export async function describeCluster(session: AdminSession): Promise<{
  brokers: Array<{ nodeId: number; host: string; port: number }>;
  controller: number | null;
  clusterId: string;
}> {
  return session.run(async (admin) => {
    const cluster = await admin.describeCluster();
    return {
      brokers: cluster.brokers.map(({ id, host, port }) => ({ nodeId: id, host, port })),
      controller: cluster.controller ? cluster.controller.id : null,
      // kafkajs passes the broker's value through: null from a broker too old to have cluster ids.
      clusterId: cluster.clusterId as string,
    };
  });
}

/**
 * Every group the brokers know. protocolType: '' for a group that only stores offsets (a "simple"
 * group), else 'consumer' (librdkafka does not report other protocol types, such as Connect's).
 */
export async function listGroups(session: AdminSession): Promise<{ groups: GroupOverview[] }> {
  return session.run(async (admin) => {
    const { groups, errors } = await admin.listConsumerGroups();
    // A broker that could not be asked: kafkajs's listing asks each broker and fails with it.
    if (errors.length > 0) throw errors[0];
    return { groups: groups.map((g) => ({ groupId: g.groupId, protocolType: g.isSimple ? '' : 'consumer' })) };
  });
}

/**
 * Groups with their state, protocol and members. A group that does not exist is described as kafkajs
 * sees it: state 'Dead', no members, protocolType ''.
 */
export async function describeGroups(session: AdminSession, groupIds: string[]): Promise<GroupDescriptions> {
  if (!groupIds || !Array.isArray(groupIds)) {
    throw new KafkaJSNonRetriableError(`Invalid groupIds array ${String(groupIds)}`);
  }
  if (groupIds.length === 0) return { groups: [] };
  // kafkajs retries each coordinator's DescribeGroups on any retriable error (a coordinator loading).
  const groups = await session.retry(
    'describe groups',
    () => session.run(async (admin) => (await admin.describeConsumerGroups(groupIds)).map(describedGroup)),
    (e) => (e as KafkaJSError).retriable === true,
  );
  return { groups };
}

/**
 * Deletes groups; resolves `[{ groupId, errorCode: 0 }]` when all were deleted. Otherwise the others
 * are still deleted and it rejects with KafkaJSDeleteGroupsError listing the failed groups.
 */
export async function deleteGroups(session: AdminSession, groupIds: string[]): Promise<DeleteGroupsResult[]> {
  if (!groupIds || !Array.isArray(groupIds)) {
    throw new KafkaJSNonRetriableError(`Invalid groupIds array ${String(groupIds)}`);
  }
  const invalid = groupIds.find((g) => typeof g !== 'string');
  if (invalid !== undefined) {
    throw new KafkaJSNonRetriableError(`Invalid groupId name: ${JSON.stringify(invalid)}`);
  }
  if (groupIds.length === 0) return [];
  return session.run(async (admin) => {
    const results = await admin.deleteConsumerGroups(groupIds);
    const failed = results.flatMap(({ groupId, error }) => {
      if (!error) return [];
      const converted = session.error(error) as KafkaJSError;
      return [{ groupId, errorCode: errorCodeOf(converted), error: converted as KafkaJSProtocolError }];
    });
    if (failed.length > 0) throw new KafkaJSDeleteGroupsError('Error in DeleteGroups', failed);
    return results.map(({ groupId }) => ({ groupId, errorCode: 0 }));
  });
}
