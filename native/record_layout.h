// How consume() lays out each record's metadata in its typed arrays (native/consumer.cc writes it). JS
// reads the same layout (src/consumer/batch.ts); the addon exports it (`recordLayout()`) so a test can
// check the two agree instead of trusting two hand-kept copies.
#pragma once

#include <napi.h>

namespace kafka_napi {

// Int32 fields per record, in the `ints` array.
enum RecordField : int {
  kTopicIndex,  // into the batch's `topics`; -1 = none
  kPartition,
  kKeyOffset,  // into the slab
  kKeyLength,  // -1 = null key
  kValueOffset,
  kValueLength,  // -1 = null value
  kTimestampType,
  kHeaderStart,  // first header of the record, in the `headers` array
  kHeaderCount,
  kError,  // librdkafka error code: an error delivered in place of a message
  kIntsPerRecord
};

// Float64 fields per record, in the `numbers` array.
enum RecordNumber : int { kOffset, kTimestamp, kLeaderEpoch, kNumbersPerRecord };

// Int32 fields per header, in the `headers` array.
enum HeaderField : int {
  kHeaderNameOffset,
  kHeaderNameLength,
  kHeaderValueOffset,
  kHeaderValueLength,  // -1 = null value
  kIntsPerHeader
};

// { ints: {topicIndex: 0, ...}, intsPerRecord, numbers: {...}, numbersPerRecord, headers: {...}, intsPerHeader }
Napi::Object RecordLayout(Napi::Env env);

}  // namespace kafka_napi
