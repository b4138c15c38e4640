/** kafkajs 2.2.4 types (see ./index.ts): Group membership metadata and the Broker connection type. */
import type { CompressionTypes } from '../enums';
import type { ListPartitionReassignmentsResponse, PartitionReassignment } from './admin';
import type { Assignment, Message, PartitionMetadata } from './config';
import type { TopicPartitions } from './consumer';
import type { TopicOffsets } from './producer';

export interface ISerializer<T> {
  encode(value: T): Buffer;
  decode(buffer: Buffer): T | null;
}

export type MemberMetadata = {
  version: number;
  topics: string[];
  userData: Buffer;
};

export type MemberAssignment = {
  version: number;
  assignment: Assignment;
  userData: Buffer;
};

export interface BrokerMetadata {
  brokers: Array<{ nodeId: number; host: string; port: number; rack?: string }>;
  topicMetadata: Array<{
    topicErrorCode: number;
    topic: string;
    partitionMetadata: PartitionMetadata[];
  }>;
}

export interface ApiVersions {
  [apiKey: number]: {
    minVersion: number;
    maxVersion: number;
  };
}

/** kafkajs's connection to one broker. Its raw protocol responses (`any` in kafkajs) are `unknown` here. */
export type Broker = {
  isConnected(): boolean;
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  apiVersions(): Promise<ApiVersions>;
  metadata(topics: string[]): Promise<BrokerMetadata>;
  describeGroups: (options: { groupIds: string[] }) => Promise<unknown>;
  offsetCommit(request: {
    groupId: string;
    groupGenerationId: number;
    memberId: string;
    retentionTime?: number;
    topics: TopicOffsets[];
  }): Promise<unknown>;
  offsetFetch(request: { groupId: string; topics: TopicOffsets[] }): Promise<{
    responses: TopicOffsets[];
  }>;
  fetch(request: {
    replicaId?: number;
    isolationLevel?: number;
    maxWaitTime?: number;
    minBytes?: number;
    maxBytes?: number;
    topics: Array<{
      topic: string;
      partitions: Array<{ partition: number; fetchOffset: string; maxBytes: number }>;
    }>;
    rackId?: string;
  }): Promise<unknown>;
  produce(request: {
    topicData: Array<{
      topic: string;
      partitions: Array<{ partition: number; firstSequence?: number; messages: Message[] }>;
    }>;
    transactionalId?: string;
    producerId?: number;
    producerEpoch?: number;
    acks?: number;
    timeout?: number;
    compression?: CompressionTypes;
  }): Promise<unknown>;
  alterPartitionReassignments(request: { topics: PartitionReassignment[]; timeout?: number }): Promise<unknown>;
  listPartitionReassignments(request: {
    topics?: TopicPartitions[];
    timeout?: number;
  }): Promise<ListPartitionReassignmentsResponse>;
};
