// Limits and protocol numbers both sides check or send: defined here once; JS reads them through
// addon.limits() (src/core/bounds.ts) instead of repeating them.
#pragma once

#include <librdkafka/rdkafka.h>
#include <napi.h>

#include <cstddef>
#include <cstdint>

namespace kafka_napi {

// Kafka's own limit on topic names.
constexpr size_t kMaxTopicLength = 249;
// Group ids, transactional ids, user names and subscription patterns (librdkafka compiles patterns with a
// recursive matcher; real ones are a few dozen characters).
constexpr size_t kMaxNameLength = 4096;
// A SCRAM password is hashed on librdkafka's background thread, `iterations` times: a long one at the
// top of the range would hold that thread for seconds.
constexpr size_t kMaxScramPasswordBytes = 1024;
// Kafka's range of SCRAM iterations, and the default kafka-configs.sh uses.
constexpr int32_t kMinScramIterations = 4096;
constexpr int32_t kMaxScramIterations = 16384;
constexpr int32_t kDefaultScramIterations = 8192;

// { topicLength, nameLength, scramPasswordBytes, scramIterations: { min, max, default },
//   ackTypes: { accept, release, reject } } (KIP-932's numbers, librdkafka's enum).
Napi::Object Limits(Napi::Env env);

}  // namespace kafka_napi
