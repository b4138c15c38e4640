/** kafkajs Admin calls on topic and broker configs. */
import { CONFIG_SOURCES } from '../../admin/enums';
import type { ConfigEntry as NapiConfigEntry, ConfigResource } from '../../admin/types';
import { type ConfigResourceTypes, type ConfigSource } from '../enums';
import { KafkaJSNonRetriableError, KafkaJSNotImplemented } from '../errors';
import type { ConfigEntries, DescribeConfigResponse, IResourceConfig, ResourceConfigQuery } from '../types';
import type { AdminSession } from './session';

/** Kafka's ConfigSource number (DescribeConfigsResponse), which kafkajs's ConfigSource also uses. */
function sourceNumber(source: string): ConfigSource {
  return (source === 'unknown' ? 0 : CONFIG_SOURCES.toNative(source, 'configSource')) as ConfigSource;
}

/** The config resources kafkajs can name that librdkafka's config calls take. */
const CONFIG_RESOURCE_NAMES: Readonly<Record<number, 'topic' | 'broker'>> = { 2: 'topic', 4: 'broker' };

const CONFIG_RESOURCE_NUMBERS = { topic: 2, broker: 4, group: 0, transactionalId: 0 } as const;

/**
 * The source of the configs a legacy AlterConfigs replaces: a topic's own, or one broker's (the
 * cluster-wide broker defaults are a different resource, the broker named '').
 */
const DYNAMIC_SOURCE = { topic: 'DYNAMIC_TOPIC_CONFIG', broker: 'DYNAMIC_BROKER_CONFIG' } as const;

/**
 * Configs of topics and brokers (configNames: only those), with synonyms when includeSynonyms. The
 * first resource that fails rejects with its protocol error, as kafkajs.
 */
export async function describeConfigs(
  session: AdminSession,
  {
    resources,
    includeSynonyms,
  }: {
    resources: ResourceConfigQuery[];
    includeSynonyms: boolean;
  },
): Promise<DescribeConfigResponse> {
  checkResources(resources);
  const invalidConfigs = resources.find((r) => !Array.isArray(r.configNames) && r.configNames != null);
  if (invalidConfigs) {
    throw new KafkaJSNonRetriableError(
      `Invalid resource configNames ${String(invalidConfigs.configNames)}: ${JSON.stringify(invalidConfigs)}`,
    );
  }
  const specs = resources.map(configResource);
  return session.run(async (admin) => {
    const results = await admin.describeConfigs(specs);
    const failed = results.find((r) => r.error);
    if (failed?.error) throw failed.error;
    return {
      resources: results.map((r) => {
        const only = resources.find((q) => CONFIG_RESOURCE_NAMES[q.type] === r.type && q.name === r.name)?.configNames;
        const wanted = only && only.length > 0 ? new Set(only) : undefined;
        return {
          errorCode: 0,
          errorMessage: '',
          resourceType: CONFIG_RESOURCE_NUMBERS[r.type] as ConfigResourceTypes,
          resourceName: r.name,
          configEntries: r.configs
            .filter((c) => !wanted || wanted.has(c.name))
            .map((c) => configEntries(c, includeSynonyms === true)),
        };
      }),
      // kafkajs resolves `{ resources }` alone (its declarations add a throttleTime it never sets).
    } as DescribeConfigResponse;
  });
}

/**
 * Sets each resource's configs to exactly the entries given: the resource's other dynamic configs go
 * back to their defaults, as with kafkajs's (legacy, replacing) AlterConfigs. See the file comment.
 */
export async function alterConfigs(
  session: AdminSession,
  { validateOnly, resources }: { validateOnly: boolean; resources: IResourceConfig[] },
): Promise<{
  resources: Array<{
    errorCode: number;
    errorMessage: string | null;
    resourceType: ConfigResourceTypes;
    resourceName: string;
  }>;
}> {
  checkResources(resources);
  const invalidConfigs = resources.find((r) => !Array.isArray(r.configEntries));
  if (invalidConfigs) {
    throw new KafkaJSNonRetriableError(
      `Invalid resource configEntries ${String(invalidConfigs.configEntries)}: ${JSON.stringify(invalidConfigs)}`,
    );
  }
  const invalidValue = resources.find((r) =>
    r.configEntries.some((e) => typeof e?.name !== 'string' || typeof e?.value !== 'string'),
  );
  if (invalidValue) {
    throw new KafkaJSNonRetriableError(`Invalid resource config value: ${JSON.stringify(invalidValue)}`);
  }
  const specs = resources.map(configResource);
  return session.run(async (admin) => {
    const current = await admin.describeConfigs(specs);
    const missing = current.find((r) => r.error);
    if (missing?.error) throw missing.error;
    const changes = specs.map((spec, i) => {
      const given = resources[i].configEntries;
      const named = new Set(given.map((e) => e.name));
      const dynamic = DYNAMIC_SOURCE[spec.type as 'topic' | 'broker'];
      const stale = (current.find((r) => r.type === spec.type && r.name === spec.name)?.configs ?? []).filter(
        (c) => c.source === dynamic && !named.has(c.name),
      );
      return {
        ...spec,
        configs: [
          ...given.map((e) => ({ name: e.name, op: 'set' as const, value: e.value })),
          ...stale.map((c) => ({ name: c.name, op: 'delete' as const })),
        ],
      };
    });
    const results = await admin.incrementalAlterConfigs(changes, { validateOnly: validateOnly === true });
    const failed = results.find((r) => r.error);
    if (failed?.error) throw failed.error;
    return {
      resources: results.map((r) => ({
        errorCode: 0,
        errorMessage: null,
        resourceType: CONFIG_RESOURCE_NUMBERS[r.type] as ConfigResourceTypes,
        resourceName: r.name,
      })),
    };
  });
}

/** kafkajs's checks shared by describeConfigs and alterConfigs. */
function checkResources(resources: Array<{ type: number; name: string }>): void {
  if (!resources || !Array.isArray(resources)) {
    throw new KafkaJSNonRetriableError(`Invalid resources array ${String(resources)}`);
  }
  if (resources.length === 0) throw new KafkaJSNonRetriableError('Resources array cannot be empty');
  const invalidType = resources.find((r) => ![0, 2, 4, 8].includes(r?.type));
  if (invalidType) {
    throw new KafkaJSNonRetriableError(
      `Invalid resource type ${String(invalidType?.type)}: ${JSON.stringify(invalidType)}`,
    );
  }
  const invalidName = resources.find((r) => !r.name || typeof r.name !== 'string');
  if (invalidName) {
    throw new KafkaJSNonRetriableError(
      `Invalid resource name ${String(invalidName.name)}: ${JSON.stringify(invalidName)}`,
    );
  }
}

/** A kafkajs config resource as KafkaAdmin names it; librdkafka cannot address broker loggers. */
function configResource({ type, name }: { type: number; name: string }): ConfigResource {
  const resourceType = CONFIG_RESOURCE_NAMES[type];
  if (resourceType === undefined) {
    throw new KafkaJSNotImplemented(
      `config resource type ${type} is not supported: librdkafka describes and alters the configs of topics (ConfigResourceTypes.TOPIC) and brokers (ConfigResourceTypes.BROKER)`,
    );
  }
  return { type: resourceType, name };
}

function configEntries(c: NapiConfigEntry, includeSynonyms: boolean): ConfigEntries {
  return {
    configName: c.name,
    // Sensitive values come back null from Kafka, which kafkajs passes through.
    configValue: c.value as string,
    readOnly: c.isReadOnly,
    isDefault: c.isDefault,
    configSource: sourceNumber(c.source),
    isSensitive: c.isSensitive,
    configSynonyms: includeSynonyms
      ? c.synonyms.map((s) => ({
          configName: s.name,
          configValue: s.value as string,
          configSource: sourceNumber(s.source),
        }))
      : [],
  };
}
