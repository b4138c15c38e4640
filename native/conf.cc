#include "conf.h"

#include <string>

#include "errors.h"

namespace kafka_napi {

rd_kafka_conf_t* BuildConf(Napi::Env env, Napi::Value properties) {
  if (!properties.IsObject()) throw Napi::TypeError::New(env, "configuration must be an object");
  Napi::Object props = properties.As<Napi::Object>();
  Napi::Array keys = props.GetPropertyNames();
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  char errstr[512];
  for (uint32_t i = 0; i < keys.Length(); i++) {
    std::string key = keys.Get(i).ToString();
    Napi::Value value = props.Get(key);
    if (value.IsUndefined()) continue;
    std::string str = value.ToString();
    if (rd_kafka_conf_set(conf, key.c_str(), str.c_str(), errstr, sizeof(errstr)) != RD_KAFKA_CONF_OK) {
      rd_kafka_conf_destroy(conf);
      ThrowKafkaError(env, ErrorInfo(RD_KAFKA_RESP_ERR__INVALID_ARG, errstr));
    }
  }
  return conf;
}

}  // namespace kafka_napi
