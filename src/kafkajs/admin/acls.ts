/** kafkajs Admin calls on ACLs, with kafkajs's numeric enums translated to KafkaAdmin's names. */
import type { AclBinding, AclBindingFilter } from '../../admin/types';
import type { AclOperationFilter, AclPermissionFilter, PatternTypeFilter, ResourceTypeFilter } from '../../admin/enums';
import {
  type AclOperationTypes,
  type AclPermissionTypes,
  type AclResourceTypes,
  type ResourcePatternTypes,
} from '../enums';
import { KafkaJSNonRetriableError, KafkaJSNotImplemented } from '../errors';
import type { AclEntry, AclFilter, DeleteAclResponse, DescribeAclResource, DescribeAclResponse } from '../types';
import type { AdminSession } from './session';

// kafkajs's numeric enums <-> KafkaAdmin's names. Kafka numbers both the same way (librdkafka's
// CLUSTER resource is its BROKER, 4); DELEGATION_TOKEN has no librdkafka counterpart.
const ACL_RESOURCE_NAMES: Readonly<Record<number, ResourceTypeFilter>> = {
  1: 'any',
  2: 'topic',
  3: 'group',
  4: 'broker',
  5: 'transactionalId',
};
const PATTERN_NAMES: Readonly<Record<number, PatternTypeFilter>> = {
  1: 'any',
  2: 'match',
  3: 'literal',
  4: 'prefixed',
};
const OPERATION_NAMES: Readonly<Record<number, AclOperationFilter>> = {
  1: 'any',
  2: 'all',
  3: 'read',
  4: 'write',
  5: 'create',
  6: 'delete',
  7: 'alter',
  8: 'describe',
  9: 'clusterAction',
  10: 'describeConfigs',
  11: 'alterConfigs',
  12: 'idempotentWrite',
};
const PERMISSION_NAMES: Readonly<Record<number, AclPermissionFilter>> = { 1: 'any', 2: 'deny', 3: 'allow' };

/** Creates ACL bindings; resolves true, or rejects with the first binding's protocol error. */
export async function createAcls(session: AdminSession, { acl }: { acl: AclEntry[] }): Promise<boolean> {
  if (!acl || !Array.isArray(acl)) throw new KafkaJSNonRetriableError(`Invalid ACL array ${String(acl)}`);
  if (acl.length === 0) throw new KafkaJSNonRetriableError('Empty ACL array');
  checkAclStrings(acl, 'Invalid ACL array', false);
  checkAclTypes(acl);
  const bindings = acl.map((a) => aclFilter(a) as AclBinding);
  return session.run(async (admin) => {
    const results = await admin.createAcls(bindings);
    const failed = results.find((r) => r.error);
    if (failed?.error) throw failed.error;
    return true;
  });
}

/** The bindings matching the filter, grouped by resource as kafkajs's response is. */
export async function describeAcls(session: AdminSession, filter: AclFilter): Promise<DescribeAclResponse> {
  const f = (filter ?? {}) as Partial<AclFilter>;
  for (const [key, label] of [
    ['principal', 'principal'],
    ['host', 'host'],
    ['resourceName', 'resourceName'],
  ] as const) {
    if (typeof f[key] !== 'string' && typeof f[key] !== 'undefined') {
      throw new KafkaJSNonRetriableError(`Invalid ${label}, the ${label} have to be a valid string`);
    }
  }
  // kafkajs accepts any value of its enums here, UNKNOWN (0) included.
  if (!within(12)(f.operation)) throw new KafkaJSNonRetriableError(`Invalid operation type ${String(f.operation)}`);
  if (!within(4)(f.resourcePatternType)) {
    throw new KafkaJSNonRetriableError(`Invalid resource pattern filter type ${String(f.resourcePatternType)}`);
  }
  if (!within(3)(f.permissionType)) {
    throw new KafkaJSNonRetriableError(`Invalid permission type ${String(f.permissionType)}`);
  }
  if (!within(6)(f.resourceType)) throw new KafkaJSNonRetriableError(`Invalid resource type ${String(f.resourceType)}`);
  const spec = aclFilter(f as AclFilter);
  return session.run(async (admin) => {
    const bindings = await admin.describeAcls(spec);
    const resources = new Map<string, DescribeAclResource>();
    for (const b of bindings) {
      const key = `${b.resourceType}\0${b.patternType}\0${b.name}`;
      let resource = resources.get(key);
      if (!resource) {
        resource = {
          resourceType: aclNumber(ACL_RESOURCE_NAMES, b.resourceType) as AclResourceTypes,
          resourceName: b.name,
          resourcePatternType: aclNumber(PATTERN_NAMES, b.patternType) as ResourcePatternTypes,
          acls: [],
        };
        resources.set(key, resource);
      }
      resource.acls.push({
        principal: b.principal,
        host: b.host,
        operation: aclNumber(OPERATION_NAMES, b.operation) as AclOperationTypes,
        permissionType: aclNumber(PERMISSION_NAMES, b.permission) as AclPermissionTypes,
      });
    }
    // kafkajs resolves `{ resources }` alone (its declarations add fields it never sets).
    return { resources: [...resources.values()] } as DescribeAclResponse;
  });
}

/** Deletes the bindings each filter matches; one filterResponse per filter with what it deleted. */
export async function deleteAcls(
  session: AdminSession,
  { filters }: { filters: AclFilter[] },
): Promise<DeleteAclResponse> {
  if (!filters || !Array.isArray(filters)) {
    throw new KafkaJSNonRetriableError(`Invalid ACL Filter array ${String(filters)}`);
  }
  if (filters.length === 0) throw new KafkaJSNonRetriableError('Empty ACL Filter array');
  checkAclStrings(filters, 'Invalid ACL Filter array', true);
  checkAclTypes(filters);
  const specs = filters.map(aclFilter);
  return session.run(async (admin) => {
    const results = await admin.deleteAcls(specs);
    const failed = results.find((r) => r.error);
    if (failed?.error) throw failed.error;
    // kafkajs resolves `{ filterResponses }` alone, each entry as Kafka's response has it.
    return {
      filterResponses: results.map((r) => ({
        errorCode: 0,
        errorMessage: null,
        matchingAcls: r.deleted.map((b) => ({
          errorCode: 0,
          errorMessage: null,
          resourceType: aclNumber(ACL_RESOURCE_NAMES, b.resourceType) as AclResourceTypes,
          resourceName: b.name,
          resourcePatternType: aclNumber(PATTERN_NAMES, b.patternType) as ResourcePatternTypes,
          principal: b.principal,
          host: b.host,
          operation: aclNumber(OPERATION_NAMES, b.operation) as AclOperationTypes,
          permissionType: aclNumber(PERMISSION_NAMES, b.permission) as AclPermissionTypes,
        })),
      })),
    } as unknown as DeleteAclResponse;
  });
}

/** kafkajs's string checks of ACL entries (optional fields may be left out of filters). */
function checkAclStrings(list: Array<Partial<AclFilter>>, prefix: string, optional: boolean): void {
  const ok = (v: unknown) => typeof v === 'string' || (optional && v === undefined);
  if (list.some((a) => !ok(a?.principal))) {
    throw new KafkaJSNonRetriableError(`${prefix}, the principals have to be a valid string`);
  }
  if (list.some((a) => !ok(a?.host)))
    throw new KafkaJSNonRetriableError(`${prefix}, the hosts have to be a valid string`);
  if (list.some((a) => !ok(a?.resourceName))) {
    throw new KafkaJSNonRetriableError(`${prefix}, the resourceNames have to be a valid string`);
  }
}

/** A value of one of kafkajs's ACL enums, which number their members 0..max. */
function within(max: number): (n: unknown) => boolean {
  return (n) => typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= max;
}

/** kafkajs's enum checks of ACL entries and filters. */
function checkAclTypes(list: Array<Partial<AclFilter>>): void {
  const check = (key: keyof AclFilter, label: string, valid: (n: unknown) => boolean) => {
    const invalid = list.find((a) => !valid(a?.[key]));
    if (invalid) {
      throw new KafkaJSNonRetriableError(`Invalid ${label} ${String(invalid?.[key])}: ${JSON.stringify(invalid)}`);
    }
  };
  check('operation', 'operation type', within(12));
  check('resourcePatternType', 'resource pattern type', within(4));
  check('permissionType', 'permission type', within(3));
  check('resourceType', 'resource type', within(6));
}

/** A kafkajs ACL entry or filter as KafkaAdmin takes it. */
function aclFilter(a: Partial<AclFilter>): AclBindingFilter {
  const name = <T extends string>(table: Readonly<Record<number, T>>, value: number | undefined, what: string): T => {
    const found = value === undefined ? undefined : table[value];
    if (found === undefined && value === 6 && what === 'resource type') {
      throw new KafkaJSNotImplemented(
        'ACLs on delegation tokens (AclResourceTypes.DELEGATION_TOKEN) are not supported: librdkafka has no such resource type',
      );
    }
    // UNKNOWN (0): kafkajs sends it and the broker refuses the request; librdkafka cannot encode it.
    if (found === undefined) throw new KafkaJSNonRetriableError(`Invalid ${what} ${String(value)}`);
    return found;
  };
  return {
    resourceType: name(ACL_RESOURCE_NAMES, a.resourceType, 'resource type'),
    name: a.resourceName ?? null,
    patternType: name(PATTERN_NAMES, a.resourcePatternType, 'resource pattern type'),
    principal: a.principal ?? null,
    host: a.host ?? null,
    operation: name(OPERATION_NAMES, a.operation, 'operation'),
    permission: name(PERMISSION_NAMES, a.permissionType, 'permission type'),
  };
}

/** A KafkaAdmin ACL name back to kafkajs's number (0, UNKNOWN, for one it does not know). */
function aclNumber(table: Readonly<Record<number, string>>, value: string): number {
  for (const [n, v] of Object.entries(table)) if (v === value) return Number(n);
  return 0;
}
