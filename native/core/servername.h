// ssl.servername: broker certificates verified against one fixed name instead of each broker's host
// (brokers reached through a tunnel, a load balancer or by IP, with certificates for their DNS name).
// OpenSSL still verifies the chain; librdkafka's own host check is off for such clients and this
// callback checks the leaf certificate's name. It runs on librdkafka's broker threads.
#pragma once

#include <librdkafka/rdkafka.h>

#include <string>

namespace kafka_napi {

// The private property src/core/security.ts uses to pass the name; never handed to librdkafka.
constexpr const char* kServerNameProperty = "kafka-napi.ssl.servername";

// False when the addon was built without OpenSSL's headers (a system librdkafka without libcrypto's
// pkg-config file): the option is then refused at construction.
bool ServerNameSupported();
// Installs the verify callback on `conf`.
void EnableServerNameCheck(rd_kafka_conf_t* conf);
// The name for a client, from just after rd_kafka_new until after rd_kafka_destroy.
void RegisterServerName(rd_kafka_t* rk, const std::string& name);
void ForgetServerName(rd_kafka_t* rk);

}  // namespace kafka_napi
