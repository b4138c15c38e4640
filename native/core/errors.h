// KafkaError instances built in C++ from librdkafka error codes / rd_kafka_error_t objects.
#pragma once

#include <librdkafka/rdkafka.h>
#include <napi.h>

#include <string>

namespace kafka_napi {

struct ErrorInfo {
  rd_kafka_resp_err_t code = RD_KAFKA_RESP_ERR_NO_ERROR;
  std::string message;
  // Whether librdkafka stated `retriable` (an rd_kafka_error_t does; a bare error code does not). When
  // it did not, the JS KafkaError decides from the code (src/core/errors.ts) instead of being told false.
  bool retriable_known = false;
  bool retriable = false;
  bool fatal = false;
  bool abortable = false;

  ErrorInfo() = default;
  ErrorInfo(rd_kafka_resp_err_t c, std::string msg = "") : code(c), message(std::move(msg)) {}
  // Takes ownership of (and destroys) `error`.
  static ErrorInfo FromError(rd_kafka_error_t* error);
  bool ok() const { return code == RD_KAFKA_RESP_ERR_NO_ERROR; }
};

// The TS KafkaError class of `env` (empty until the TS layer handed it over). Provided by the module's
// entry point (addon.cc), which owns the per-environment state: core declares what it needs.
const Napi::FunctionReference& KafkaErrorClass(Napi::Env env);

Napi::Object MakeKafkaError(Napi::Env env, const ErrorInfo& info);
Napi::Object MakeKafkaError(Napi::Env env, rd_kafka_resp_err_t code, const std::string& message = "");
[[noreturn]] void ThrowKafkaError(Napi::Env env, const ErrorInfo& info);

}  // namespace kafka_napi
