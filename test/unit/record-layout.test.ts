/**
 * The consumer's record layout is written by native code (native/core/record_layout.h) and read by
 * src/consumer/batch.ts: the addon exports its layout, and this compares the two, so a field moved on
 * one side only fails here instead of silently decoding every record wrongly.
 */
import * as batch from '../../src/consumer/batch';
import { addon } from '../../src/native/addon';

const layout = addon.recordLayout();

test('native fields are distinct and fill their group', () => {
  for (const [group, stride] of [
    [layout.ints, layout.intsPerRecord],
    [layout.numbers, layout.numbersPerRecord],
    [layout.headers, layout.intsPerHeader],
  ] as const) {
    const indexes = Object.values(group).sort((a, b) => a - b);
    expect(indexes).toEqual(Array.from({ length: stride }, (_, i) => i));
  }
});

test('src/consumer/batch.ts reads records the way native writes them', () => {
  expect({
    ints: {
      topicIndex: batch.F_TOPIC,
      partition: batch.F_PARTITION,
      keyOffset: batch.F_KEY_OFFSET,
      keyLength: batch.F_KEY_LENGTH,
      valueOffset: batch.F_VALUE_OFFSET,
      valueLength: batch.F_VALUE_LENGTH,
      timestampType: batch.F_TIMESTAMP_TYPE,
      headerStart: batch.F_HEADER_START,
      headerCount: batch.F_HEADER_COUNT,
      error: batch.F_ERROR,
    },
    intsPerRecord: batch.RECORD_INTS,
    numbers: {
      offset: batch.N_OFFSET,
      timestamp: batch.N_TIMESTAMP,
      leaderEpoch: batch.N_LEADER_EPOCH,
    },
    numbersPerRecord: batch.RECORD_NUMBERS,
    headers: {
      nameOffset: batch.H_NAME_OFFSET,
      nameLength: batch.H_NAME_LENGTH,
      valueOffset: batch.H_VALUE_OFFSET,
      valueLength: batch.H_VALUE_LENGTH,
    },
    intsPerHeader: batch.HEADER_INTS,
  }).toEqual(layout);
});
