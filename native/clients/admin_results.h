// Admin result events to JS: each result's per-item answers, every item with its own `error` (a
// KafkaError) when it failed. Enums stay librdkafka's integers; src/admin/enums.ts names them.
#pragma once

#include <librdkafka/rdkafka.h>
#include <napi.h>

namespace kafka_napi {

// Sets the fields of a successful result event `ev` on `out` (topics, groups, resources, acls...).
void AdminResultToJs(Napi::Env env, rd_kafka_event_t* ev, Napi::Object out);

}  // namespace kafka_napi
