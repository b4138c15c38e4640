#include "events.h"

#include "args.h"
#include "errors.h"

namespace kafka_napi {

bool AppendClientEvent(Napi::Env env, rd_kafka_t* rk, rd_kafka_event_t* event, Napi::Array out) {
  Napi::Object item = Napi::Object::New(env);
  switch (rd_kafka_event_type(event)) {
    case RD_KAFKA_EVENT_ERROR: {
      ErrorInfo info(rd_kafka_event_error(event), OrEmpty(rd_kafka_event_error_string(event)));
      info.fatal = rd_kafka_event_error_is_fatal(event);
      if (info.fatal) {
        // The event carries _FATAL; the underlying cause is kept by the handle.
        char reason[512];
        info.code = rd_kafka_fatal_error(rk, reason, sizeof(reason));
        info.message = reason;
      }
      item.Set("type", "error");
      item.Set("error", MakeKafkaError(env, info));
      break;
    }
    case RD_KAFKA_EVENT_STATS:
      item.Set("type", "stats");
      item.Set("json", OrEmpty(rd_kafka_event_stats(event)));
      break;
    case RD_KAFKA_EVENT_LOG: {
      const char* facility = "";
      const char* message = "";
      int level = 7;
      rd_kafka_event_log(event, &facility, &message, &level);
      item.Set("type", "log");
      item.Set("level", level);
      item.Set("facility", OrEmpty(facility));
      item.Set("message", OrEmpty(message));
      break;
    }
    case RD_KAFKA_EVENT_OAUTHBEARER_TOKEN_REFRESH:
      // sasl.oauthbearer.config is not passed on: it may carry a secret, and the provider is a closure.
      item.Set("type", "oauthbearer-refresh");
      break;
    default:
      return false;
  }
  out.Set(out.Length(), item);
  return true;
}

}  // namespace kafka_napi
