#include "errors.h"

#include "args.h"

namespace kafka_napi {

ErrorInfo ErrorInfo::FromError(rd_kafka_error_t* error) {
  ErrorInfo info;
  if (!error) return info;
  info.code = rd_kafka_error_code(error);
  info.message = OrEmpty(rd_kafka_error_string(error));
  info.retriable_known = true;
  info.retriable = rd_kafka_error_is_retriable(error);
  info.fatal = rd_kafka_error_is_fatal(error);
  info.abortable = rd_kafka_error_txn_requires_abort(error);
  rd_kafka_error_destroy(error);
  return info;
}

Napi::Object MakeKafkaError(Napi::Env env, const ErrorInfo& info) {
  std::string message = info.message.empty() ? rd_kafka_err2str(info.code) : info.message;
  const char* name = rd_kafka_err2name(info.code);
  Napi::Object init = Napi::Object::New(env);
  init.Set("code", Napi::String::New(env, name ? name : "UNKNOWN"));
  init.Set("errno", Napi::Number::New(env, info.code));
  if (info.retriable_known) init.Set("retriable", Napi::Boolean::New(env, info.retriable));
  init.Set("fatal", Napi::Boolean::New(env, info.fatal));
  init.Set("abortable", Napi::Boolean::New(env, info.abortable));
  const Napi::FunctionReference& kafka_error = KafkaErrorClass(env);
  if (!kafka_error.IsEmpty()) return kafka_error.New({Napi::String::New(env, message), init});
  // Only reachable if the addon is used without the TS layer: still an Error with the same fields.
  Napi::Object error = Napi::Error::New(env, message).Value();
  for (const char* key : {"code", "errno", "retriable", "fatal", "abortable"}) {
    if (init.Has(key)) error.Set(key, init.Get(key));
  }
  return error;
}

Napi::Object MakeKafkaError(Napi::Env env, rd_kafka_resp_err_t code, const std::string& message) {
  return MakeKafkaError(env, ErrorInfo(code, message));
}

void ThrowKafkaError(Napi::Env env, const ErrorInfo& info) { throw Napi::Error(env, MakeKafkaError(env, info)); }

}  // namespace kafka_napi
