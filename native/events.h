// Decoding of the client-level events every handle receives on its main queue (errors, statistics,
// logs) into plain JS objects, so each wrapper only handles its own event types.
#pragma once

#include <librdkafka/rdkafka.h>
#include <napi.h>

#include "owned.h"

namespace kafka_napi {

// Appends {type:'error'|'stats'|'log', ...} for `event` to `out`; returns false for other event types.
bool AppendClientEvent(Napi::Env env, rd_kafka_t* rk, rd_kafka_event_t* event, Napi::Array out);

}  // namespace kafka_napi
