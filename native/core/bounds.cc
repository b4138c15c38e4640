#include "bounds.h"

namespace kafka_napi {

Napi::Object Limits(Napi::Env env) {
  Napi::Object scram = Napi::Object::New(env);
  scram.Set("min", kMinScramIterations);
  scram.Set("max", kMaxScramIterations);
  scram.Set("default", kDefaultScramIterations);
  Napi::Object acks = Napi::Object::New(env);
  acks.Set("accept", static_cast<int32_t>(RD_KAFKA_SHARE_ACKNOWLEDGE_TYPE_ACCEPT));
  acks.Set("release", static_cast<int32_t>(RD_KAFKA_SHARE_ACKNOWLEDGE_TYPE_RELEASE));
  acks.Set("reject", static_cast<int32_t>(RD_KAFKA_SHARE_ACKNOWLEDGE_TYPE_REJECT));
  Napi::Object limits = Napi::Object::New(env);
  limits.Set("topicLength", static_cast<double>(kMaxTopicLength));
  limits.Set("nameLength", static_cast<double>(kMaxNameLength));
  limits.Set("scramPasswordBytes", static_cast<double>(kMaxScramPasswordBytes));
  limits.Set("scramIterations", scram);
  limits.Set("ackTypes", acks);
  return limits;
}

}  // namespace kafka_napi
