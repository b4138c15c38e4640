#include "conf.h"

#include <memory>
#include <string>

#include "args.h"
#include "errors.h"
#include "servername.h"

namespace kafka_napi {

ConfPtr BuildConf(Napi::Env env, Napi::Value properties, std::string* servername) {
  if (!properties.IsObject()) throw Napi::TypeError::New(env, "configuration must be an object");
  Napi::Object props = properties.As<Napi::Object>();
  Napi::Array keys = props.GetPropertyNames();
  // Owned: any throw below (a bad value, a terminating environment) must not leak it.
  ConfPtr conf(rd_kafka_conf_new());
  char errstr[512];
  for (uint32_t i = 0; i < keys.Length(); i++) {
    std::string key = StringArg(keys.Get(i), "configuration property name", 256);
    Napi::Value value = props.Get(key);
    if (value.IsUndefined()) continue;
    bool pem = key.size() > 4 && key.compare(key.size() - 4, 4, ".pem") == 0;
    std::string str = value.IsString() ? StringArg(value, ("configuration property " + key).c_str(),
                                                   pem ? kMaxPemLength : kMaxConfigValueLength)
                                       : value.ToString().Utf8Value();
    if (key == kServerNameProperty) {
      if (!ServerNameSupported()) {
        ThrowKafkaError(env, ErrorInfo(RD_KAFKA_RESP_ERR__NOT_IMPLEMENTED,
                                       "ssl.servername needs an addon built with OpenSSL's headers"));
      }
      EnableServerNameCheck(conf.get());
      *servername = str;
      continue;
    }
    if (rd_kafka_conf_set(conf.get(), key.c_str(), str.c_str(), errstr, sizeof(errstr)) != RD_KAFKA_CONF_OK) {
      ThrowKafkaError(env, ErrorInfo(RD_KAFKA_RESP_ERR__INVALID_ARG, errstr));
    }
  }
  return conf;
}

}  // namespace kafka_napi
