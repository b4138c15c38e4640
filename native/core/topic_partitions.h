// Conversions between rd_kafka_topic_partition_list_t and the columnar JS form used across the native
// boundary: { topics: string[], partitions: Int32Array, offsets: Float64Array }.
#pragma once

#include <librdkafka/rdkafka.h>
#include <napi.h>

#include "owned.h"

namespace kafka_napi {

// Throws TypeError (RangeError) on malformed input.
PartitionListPtr ListFromJs(Napi::Env env, Napi::Value topics, Napi::Value partitions, Napi::Value offsets);
// { topics, partitions, offsets, errors } (errors: librdkafka error names, '' when none).
Napi::Object ListToJs(Napi::Env env, const rd_kafka_topic_partition_list_t* list);

}  // namespace kafka_napi
