/**
 * subscribe()'s topics as kafkajs resolves them: a RegExp is the matching topics that exist now, and
 * the named ones are asked for (which lets the broker create them), or refused when they do not exist
 * and auto creation is off.
 */
import { KafkaAdmin } from '../../admin';
import type { CommonOptions } from '../../core/types';
import { KafkaProducer } from '../../producer';
import { createErrorFromCode, toKafkaJSError } from '../errors';

/** The topic names `list` subscribes to now; `options` resolves the client's options. */
export async function resolveSubscription(
  list: Array<string | RegExp>,
  autoCreate: boolean,
  options: () => Promise<CommonOptions>,
): Promise<string[]> {
  const patterns = list.filter((t): t is RegExp => t instanceof RegExp);
  const named = list.filter((t): t is string => typeof t === 'string');
  const existing = patterns.length > 0 || (!autoCreate && named.length > 0) ? await listTopics(await options()) : [];
  // kafkajs loads the topics' metadata at subscribe(): without auto creation, a missing one is refused.
  if (!autoCreate && named.some((t) => !existing.includes(t))) throw createErrorFromCode(3); // UNKNOWN_TOPIC_OR_PARTITION
  if (named.length > 0 && autoCreate) await askForTopics(await options(), named);
  return list.flatMap((t) => (typeof t === 'string' ? [t] : existing.filter((n) => t.test(n))));
}

async function listTopics(options: CommonOptions): Promise<string[]> {
  const admin = new KafkaAdmin(options);
  try {
    return await admin.listTopics();
  } catch (err) {
    throw toKafkaJSError(err);
  } finally {
    await admin.close();
  }
}

/**
 * kafkajs asks for the subscribed topics' metadata at subscribe(), which lets the broker create missing
 * ones (auto.create.topics.enable). librdkafka's consumer never asks for creation on subscribe, so
 * the same metadata request goes out here, from a short-lived producer (whose requests may create).
 * A topic that still does not exist is left to the group, which waits for it.
 */
async function askForTopics(options: CommonOptions, topics: string[]): Promise<void> {
  const producer = new KafkaProducer({
    ...options,
    rdkafka: { ...options.rdkafka, 'allow.auto.create.topics': true },
  });
  try {
    await Promise.all(topics.map((t) => producer.partitionInfo(t, 10_000).catch(() => undefined)));
  } finally {
    await producer.close();
  }
}
