// Per-environment state of the addon. Every environment (main thread, each worker_thread) gets its own
// instance, so nothing here is static: see the worker_threads tests.
#pragma once

#include <napi.h>

namespace kafka_napi {

class Addon : public Napi::Addon<Addon> {
 public:
  Addon(Napi::Env env, Napi::Object exports);

  // The TS KafkaError class, handed over once at load (`setErrorClass`), so errors created in C++ are real
  // instances of the JS subclass rather than plain Errors re-parsed later.
  Napi::FunctionReference kafka_error_class;

 private:
  Napi::Value SetErrorClass(const Napi::CallbackInfo& info);
  Napi::Value LibrdkafkaVersion(const Napi::CallbackInfo& info);
  Napi::Value Features(const Napi::CallbackInfo& info);
  Napi::Value ErrorCodes(const Napi::CallbackInfo& info);
  Napi::Value RecordLayoutMethod(const Napi::CallbackInfo& info);
  Napi::Value LimitsMethod(const Napi::CallbackInfo& info);
  Napi::Value TaskPoolStats(const Napi::CallbackInfo& info);
  Napi::Value CloseStats(const Napi::CallbackInfo& info);
  Napi::Value MallocStats(const Napi::CallbackInfo& info);
};

}  // namespace kafka_napi
