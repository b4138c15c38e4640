// Base of the JS-facing wrappers (Producer, Consumer, Admin): owns the Handle, the weakly held wake-up
// callback, the set-up every client shares (CreateHandle), and the methods every client has (ref/unref,
// metadata, close).
#pragma once

#include <napi.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "args.h"
#include "conf.h"
#include "errors.h"
#include "events.h"
#include "handle.h"
#include "metadata.h"
#include "owned.h"

namespace kafka_napi {

template <typename T>
class ClientWrap : public Napi::ObjectWrap<T>, public HandleOwner {
 public:
  explicit ClientWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<T>(info) {
    // The callback is held weakly: the JS client owns it, and a dropped client can be collected.
    if (!info[1].IsFunction()) throw Napi::TypeError::New(info.Env(), "wake callback must be a function");
    wake_ = Napi::Weak(info[1].As<Napi::Function>());
  }

  ~ClientWrap() override {
    if (!handle_) return;  // the constructor threw
    handle_->DetachOwner();
    // Garbage-collected without close(): shut down in the background (the TS layer warns). A finalizer
    // must not throw (std::terminate); derived destructors have started the close already, with their
    // BeforeDestroy (unreachable from here: virtual calls in a destructor stay in this class).
    try {
      if (handle_->open()) handle_->Close(this->Env(), nullptr, nullptr);
    } catch (...) {
    }
  }

  void OnWake(Napi::Env env) override {
    if (wake_.IsEmpty()) return;
    Napi::Value fn = wake_.Value();
    if (fn.IsFunction()) fn.As<Napi::Function>().Call({});
  }

  void SetStrong(bool strong) override {
    if (strong) {
      this->Ref();
      wake_.Ref();
    } else {
      this->Unref();
      wake_.Unref();
    }
  }

 protected:
  // The set-up every client shares, called first by each constructor: the configuration `info[0]`, with
  // the client events (plus `events`) and librdkafka's logs routed to the main queue so no librdkafka
  // thread ever writes to stderr or calls into JS; `configure` for the client's own settings; the client
  // itself; its main queue watched. The constructor then adds what is its own (other queues, state).
  void CreateHandle(const Napi::CallbackInfo& info, rd_kafka_type_t type, int events,
                    const std::function<void(rd_kafka_conf_t*)>& configure = nullptr) {
    Napi::Env env = info.Env();
    std::string servername;
    ConfPtr conf = BuildConf(env, info[0], &servername);
    rd_kafka_conf_set_events(conf.get(), kClientEvents | events);
    char errstr[256];
    rd_kafka_conf_set(conf.get(), "log.queue", "true", errstr, sizeof(errstr));
    if (configure) configure(conf.get());
    handle_ = Handle::Create(env, type, std::move(conf), this, servername);
    rd_kafka_set_log_queue(handle_->rk(), nullptr);
    main_queue_ = handle_->WatchQueue(QueuePtr(rd_kafka_queue_get_main(handle_->rk())));
  }

  // For derived destructors: a client garbage-collected without close() shuts down in the background (the
  // TS layer warns). Here and not in ~ClientWrap, which no longer reaches the derived BeforeDestroy. A
  // finalizer must never throw (std::terminate).
  void CloseCollected() {
    try {
      if (handle_ && handle_->open()) handle_->Close(this->Env(), BeforeDestroy(), nullptr);
    } catch (...) {
    }
  }

  // Runs on the close thread before rd_kafka_destroy.
  virtual Handle::BeforeDestroy BeforeDestroy() { return nullptr; }

  static void AddCommonMethods(std::vector<typename Napi::ObjectWrap<T>::PropertyDescriptor>& methods) {
    methods.push_back(Napi::ObjectWrap<T>::InstanceMethod("ref", &T::RefMethod));
    methods.push_back(Napi::ObjectWrap<T>::InstanceMethod("unref", &T::UnrefMethod));
    methods.push_back(Napi::ObjectWrap<T>::InstanceMethod("metadata", &T::Metadata));
    methods.push_back(Napi::ObjectWrap<T>::InstanceMethod("name", &T::NameMethod));
    methods.push_back(Napi::ObjectWrap<T>::InstanceMethod("close", &T::Close));
    methods.push_back(Napi::ObjectWrap<T>::InstanceMethod("setOauthBearerToken", &T::SetOauthBearerToken));
    methods.push_back(
        Napi::ObjectWrap<T>::InstanceMethod("setOauthBearerTokenFailure", &T::SetOauthBearerTokenFailure));
  }

  // Throws KafkaError _DESTROY when the client is closing or closed.
  void CheckOpen(Napi::Env env) const {
    if (!handle_ || !handle_->open()) ThrowKafkaError(env, ErrorInfo(RD_KAFKA_RESP_ERR__DESTROY, "client is closed"));
  }

  Napi::Value RefMethod(const Napi::CallbackInfo& info) {
    if (handle_) handle_->Ref(info.Env());
    return info.Env().Undefined();
  }

  // name(): librdkafka's instance name ("<client.id>#producer-1"), what its own log lines and statistics
  // call this client; "" once closed.
  Napi::Value NameMethod(const Napi::CallbackInfo& info) {
    return Napi::String::New(info.Env(), handle_ && handle_->open() ? rd_kafka_name(handle_->rk()) : "");
  }

  Napi::Value UnrefMethod(const Napi::CallbackInfo& info) {
    if (handle_) handle_->Unref(info.Env());
    return info.Env().Undefined();
  }

  // metadata(topic: string | null, timeoutMs: number): Promise<Metadata>; rejects with _DESTROY once closing
  // (like every promise-returning method: RunPromiseTask).
  Napi::Value Metadata(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    std::string topic = info[0].IsString() ? StringArg(info[0], "topic", 249) : "";
    // A task thread blocks for this long and close() waits for it: never infinite.
    int timeout = static_cast<int>(IntegerArg(info[1], "timeoutMs", 0, INT32_MAX, 30000));
    return RequestMetadata(env, handle_, topic, timeout);
  }

  // setOauthBearerToken(value, expiresAtMs, principal, extensions: string[] [k1, v1, k2, v2...]): the
  // OAUTHBEARER provider's answer to a refresh event. librdkafka schedules the next refresh itself (at
  // 80% of the lifetime). Its error message never contains the token.
  Napi::Value SetOauthBearerToken(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    CheckOpen(env);
    std::string value = StringArg(info[0], "token.value", kMaxConfigValueLength);
    int64_t expires_at = IntegerArg(info[1], "token.lifetimeMs", 1, INT64_MAX, 0);
    std::string principal = StringArg(info[2], "token.principal", 1024);
    std::vector<std::string> extensions;
    if (info[3].IsArray()) {
      Napi::Array list = info[3].As<Napi::Array>();
      for (uint32_t i = 0; i < list.Length(); i++) {
        extensions.push_back(StringArg(list.Get(i), "token.extensions", kMaxConfigValueLength));
      }
    }
    std::vector<const char*> pointers;
    pointers.reserve(extensions.size());
    for (const std::string& e : extensions) pointers.push_back(e.c_str());
    char errstr[512] = "";
    rd_kafka_resp_err_t err = rd_kafka_oauthbearer_set_token(
        handle_->rk(), value.c_str(), expires_at, principal.c_str(), pointers.empty() ? nullptr : pointers.data(),
        pointers.size(), errstr, sizeof(errstr));
    if (err) ThrowKafkaError(env, ErrorInfo(err, std::string("OAUTHBEARER token refused: ") + errstr));
    return env.Undefined();
  }

  // setOauthBearerTokenFailure(message): the provider failed; librdkafka reports _AUTHENTICATION to the
  // connections waiting for a token and asks again later.
  Napi::Value SetOauthBearerTokenFailure(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    CheckOpen(env);
    std::string message = StringArg(info[0], "message", kMaxConfigValueLength);
    rd_kafka_oauthbearer_set_token_failure(handle_->rk(), message.empty() ? "token provider failed" : message.c_str());
    return env.Undefined();
  }

  // close(): Promise<void>, resolved once librdkafka's threads are gone.
  Napi::Value Close(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    auto deferred = Napi::Promise::Deferred::New(env);
    if (!handle_ || !handle_->open()) {
      deferred.Resolve(env.Undefined());
    } else {
      handle_->Close(env, BeforeDestroy(),
                     std::make_unique<PromiseCompletion>(deferred, RD_KAFKA_RESP_ERR_NO_ERROR, "", nullptr));
    }
    return deferred.Promise();
  }

  std::shared_ptr<Handle> handle_;
  // Errors, statistics, logs (and the producer's delivery reports); owned by the Handle, which watches it.
  rd_kafka_queue_t* main_queue_ = nullptr;

 private:
  Napi::FunctionReference wake_;
};

}  // namespace kafka_napi
