// JS configuration object (already validated and mapped to librdkafka names by src/core/config.ts) ->
// rd_kafka_conf_t. Marshalled once per client.
#pragma once

#include <librdkafka/rdkafka.h>
#include <napi.h>

#include <string>

#include "owned.h"

namespace kafka_napi {

// Returns a new configuration; throws KafkaError `_INVALID_ARG` with librdkafka's own message when a
// property is unknown or its value is rejected. `servername` receives ssl.servername (servername.h),
// which is not a librdkafka property.
ConfPtr BuildConf(Napi::Env env, Napi::Value properties, std::string* servername);

}  // namespace kafka_napi
