// Decoding of the client-level events every handle receives on its main queue (errors, statistics,
// logs, OAUTHBEARER token refresh requests) into plain JS objects, so each wrapper only handles its own
// event types.
#pragma once

#include <librdkafka/rdkafka.h>
#include <napi.h>

#include "owned.h"

namespace kafka_napi {

// The events every client routes to its main queue. The token refresh request must reach JS through
// the pump (the provider is JS): librdkafka raises it on its own threads.
constexpr int kClientEvents =
    RD_KAFKA_EVENT_ERROR | RD_KAFKA_EVENT_STATS | RD_KAFKA_EVENT_LOG | RD_KAFKA_EVENT_OAUTHBEARER_TOKEN_REFRESH;

// Appends {type:'error'|'stats'|'log'|'oauthbearer-refresh', ...} for `event` to `out`; returns false for other event
// types.
bool AppendClientEvent(Napi::Env env, rd_kafka_t* rk, rd_kafka_event_t* event, Napi::Array out);

}  // namespace kafka_napi
