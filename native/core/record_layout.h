// How consume() (and the share consumer's poll) lay out each record's metadata in its typed arrays
// (native/clients/consumer.cc writes it). JS reads the same layout (src/consumer/batch.ts); the addon exports it
// (`recordLayout()`) so a test can check the two agree instead of trusting two hand-kept copies.
#pragma once

#include <librdkafka/rdkafka.h>
#include <napi.h>

#include <cstddef>

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

// `count` messages in that layout: { count, slab: Buffer, ints: Int32Array, numbers: Float64Array,
// headers: Int32Array, topics: string[] }. Every key, value and header lands in the one slab; for a
// message that carries an error, the value is librdkafka's error string. The consumer and the share
// consumer both hand batches to JS this way (src/consumer/batch.ts reads it).
Napi::Object EncodeRecords(Napi::Env env, rd_kafka_message_t* const* msgs, size_t count);

}  // namespace kafka_napi
