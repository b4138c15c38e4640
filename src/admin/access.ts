/** KafkaAdmin's calls on ACLs and SCRAM credentials. */
import { arrayArg, integerArg, optionsArg, plainObjectArg, typeName } from '../core/validate';
import { aclBinding, withError } from './convert';
import { SCRAM_MECHANISMS } from './enums';
import type {
  AclBinding,
  AclBindingFilter,
  AdminCallOptions,
  DeleteAclsResult,
  ItemResult,
  ScramDeletion,
  ScramUpsertion,
  UserResult,
  UserScramCredentials,
} from './types';
import { MAX_SCRAM_PASSWORD_BYTES, SCRAM_ITERATIONS } from '../core/bounds';
import { adminTimeout, inRequestOrder, groupIdArg, groupIdsArg, aclArg } from './args';
import type { AdminContext } from './context';

export async function createAcls(
  ctx: AdminContext,
  acls: AclBinding[],
  options?: AdminCallOptions,
): Promise<ItemResult[]> {
  ctx.checkUsable();
  const specs = Array.from(arrayArg(acls, 'acls'), (a, i) => aclArg(a, `acls[${i}]`, false));
  const timeoutMs = adminTimeout(optionsArg(options));
  if (specs.length === 0) return [];
  const result = await ctx.call('createAcls', (id) => ctx.native.createAcls(id, specs, timeoutMs));
  return result.acls.map((a) => withError({}, a.error));
}

export async function describeAcls(
  ctx: AdminContext,
  filter: AclBindingFilter = {},
  options?: AdminCallOptions,
): Promise<AclBinding[]> {
  ctx.checkUsable();
  const spec = aclArg(filter, 'filter', true);
  const timeoutMs = adminTimeout(optionsArg(options));
  const result = await ctx.call('describeAcls', (id) => ctx.native.describeAcls(id, spec, timeoutMs));
  return result.bindings.map(aclBinding);
}

export async function deleteAcls(
  ctx: AdminContext,
  filters: AclBindingFilter[],
  options?: AdminCallOptions,
): Promise<DeleteAclsResult[]> {
  ctx.checkUsable();
  const specs = Array.from(arrayArg(filters, 'filters'), (f, i) => aclArg(f, `filters[${i}]`, true));
  const timeoutMs = adminTimeout(optionsArg(options));
  if (specs.length === 0) return [];
  const result = await ctx.call('deleteAcls', (id) => ctx.native.deleteAcls(id, specs, timeoutMs));
  return result.acls.map((a) => withError({ deleted: a.bindings.map(aclBinding) }, a.error));
}

export async function describeUserScramCredentials(
  ctx: AdminContext,
  users?: string[] | null,
  options?: AdminCallOptions,
): Promise<UserScramCredentials[]> {
  ctx.checkUsable();
  const names = users == null ? [] : groupIdsArg(users, 'users');
  const timeoutMs = adminTimeout(optionsArg(options));
  const result = await ctx.call('describeUserScramCredentials', (id) =>
    ctx.native.describeUserScramCredentials(id, names, timeoutMs),
  );
  return inRequestOrder(result.users, names, (u) => u.user).map((u) =>
    withError(
      {
        user: u.user,
        credentials: (u.credentials ?? []).map((c) => ({
          mechanism: SCRAM_MECHANISMS.fromNative(c.mechanism),
          iterations: c.iterations,
        })),
      },
      u.error,
    ),
  );
}

export async function alterUserScramCredentials(
  ctx: AdminContext,
  upsertions: ScramUpsertion[],
  deletions: ScramDeletion[] = [],
  options?: AdminCallOptions,
): Promise<UserResult[]> {
  ctx.checkUsable();
  const ups = Array.from(arrayArg(upsertions, 'upsertions'), (u, i) => {
    const at = `upsertions[${i}]`;
    const spec = plainObjectArg(u, at);
    const password = spec.password;
    if (typeof password !== 'string' && !Buffer.isBuffer(password)) {
      throw new TypeError(`${at}.password must be a string or Buffer, got ${typeName(password)}`);
    }
    // librdkafka derives the salted password (PBKDF2) on the client's own thread, hashing a password
    // longer than the hash's block on every iteration: a 2 MiB one stalled the client, and its close(),
    // for 22 s (found by the API fuzz). 1 KiB costs about a tenth of a second at 16,384 iterations.
    if (Buffer.byteLength(password) > MAX_SCRAM_PASSWORD_BYTES) {
      throw new RangeError(
        `${at}.password must be at most ${MAX_SCRAM_PASSWORD_BYTES} bytes, got ${Buffer.byteLength(password)}`,
      );
    }
    if (spec.salt !== undefined && !Buffer.isBuffer(spec.salt)) {
      throw new TypeError(`${at}.salt must be a Buffer, got ${typeName(spec.salt)}`);
    }
    return {
      user: groupIdArg(spec.user, `${at}.user`),
      mechanism: SCRAM_MECHANISMS.toNative(spec.mechanism, `${at}.mechanism`),
      iterations:
        spec.iterations === undefined
          ? SCRAM_ITERATIONS.default
          : integerArg(spec.iterations, `${at}.iterations`, SCRAM_ITERATIONS.min, SCRAM_ITERATIONS.max),
      password: Buffer.isBuffer(password) ? password : Buffer.from(password),
      ...(spec.salt ? { salt: spec.salt as Buffer } : {}),
    };
  });
  const dels = Array.from(arrayArg(deletions, 'deletions'), (d, i) => {
    const spec = plainObjectArg(d, `deletions[${i}]`);
    return {
      user: groupIdArg(spec.user, `deletions[${i}].user`),
      mechanism: SCRAM_MECHANISMS.toNative(spec.mechanism, `deletions[${i}].mechanism`),
    };
  });
  const timeoutMs = adminTimeout(optionsArg(options));
  const all = [...ups, ...dels];
  if (all.length === 0) return [];
  const result = await ctx.call('alterUserScramCredentials', (id) =>
    ctx.native.alterUserScramCredentials(id, all, timeoutMs),
  );
  return result.users.map((u) => withError({ user: u.user }, u.error));
}
