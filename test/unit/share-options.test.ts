import { KafkaError, KafkaShareConsumer } from '../../src';
import { shareConsumerConfig } from '../../src/share';

// No broker is contacted: librdkafka connects lazily, and every client is closed.
const bootstrapServers = '127.0.0.1:1';

describe('share consumer options -> librdkafka properties', () => {
  test('group, max.poll.records, and librdkafka always in explicit mode (the implicit mode is ours)', () => {
    for (const acknowledgementMode of [undefined, 'implicit', 'explicit'] as const) {
      expect(shareConsumerConfig({ bootstrapServers, groupId: 'g', maxPollRecords: 7, acknowledgementMode })).toEqual({
        'bootstrap.servers': bootstrapServers,
        'client.id': 'kafka-napi',
        'group.id': 'g',
        'max.poll.records': 7,
        'share.acknowledgement.mode': 'explicit',
        'share.acquire.mode': 'record_limit',
      });
    }
  });

  test('acquireMode: record_limit by default (maxPollRecords bounds what is locked), batch_optimized on request', () => {
    const base = { bootstrapServers, groupId: 'g' };
    expect(shareConsumerConfig(base)['share.acquire.mode']).toBe('record_limit');
    expect(shareConsumerConfig({ ...base, acquireMode: 'batch_optimized' })['share.acquire.mode']).toBe(
      'batch_optimized',
    );
    expect(shareConsumerConfig({ ...base, rdkafka: { 'share.acquire.mode': 'batch_optimized' } })).toMatchObject({
      'share.acquire.mode': 'batch_optimized',
    });
    expect(() => shareConsumerConfig({ ...base, acquireMode: 'strict' as never })).toThrow(RangeError);
    expect(() => shareConsumerConfig({ ...base, acquireMode: 1 as never })).toThrow(/acquireMode/);
  });

  test('groupId is required; an rdkafka property fighting the forced mode is a RangeError', () => {
    expect(() => shareConsumerConfig({ bootstrapServers } as never)).toThrow(/groupId/);
    expect(() =>
      shareConsumerConfig({ bootstrapServers, groupId: 'g', rdkafka: { 'share.acknowledgement.mode': 'implicit' } }),
    ).toThrow(RangeError);
    expect(() => shareConsumerConfig({ bootstrapServers, groupId: 'g', maxPollRecords: 0 })).toThrow(RangeError);
    expect(() => shareConsumerConfig({ bootstrapServers, groupId: 'g', enableAutoCommit: true } as never)).toThrow(
      /unknown option 'enableAutoCommit'/,
    );
  });

  test('librdkafka refusing a property for share consumers is KafkaError _INVALID_ARG, nothing left behind', async () => {
    // Regular-consumer properties librdkafka does not support on a share consumer.
    let error: unknown;
    try {
      new KafkaShareConsumer('t', { bootstrapServers, groupId: 'g', rdkafka: { 'isolation.level': 'read_committed' } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(KafkaError);
    expect((error as KafkaError).code).toBe('_INVALID_ARG');
    const consumer = new KafkaShareConsumer('t', { bootstrapServers, groupId: 'g', logger: {} });
    expect(consumer.subscription()).toEqual(['t']);
    await consumer.close();
  });
});
