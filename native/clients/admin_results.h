// Admin result events to JS: each result's per-item answers, every item with its own `error` (a
// KafkaError) when it failed. Enums stay librdkafka's integers; src/admin/enums.ts names them.
#pragma once

#include <librdkafka/rdkafka.h>
#include <napi.h>

namespace kafka_napi {

// The request a result event answers, named as the NativeAdmin method that sends it (the `kind` of
// src/native/admin-types.ts NativeAdminResult); "" for an event that is no admin result.
const char* AdminResultKind(rd_kafka_event_t* ev);

// Sets the fields of a successful result event `ev` on `out` (topics, groups, resources, acls...).
void AdminResultToJs(Napi::Env env, rd_kafka_event_t* ev, Napi::Object out);

}  // namespace kafka_napi
