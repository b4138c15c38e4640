// Cluster metadata requests (rd_kafka_metadata blocks on the network, so it runs as a Handle task).
#pragma once

#include <napi.h>

#include <memory>
#include <string>

#include "handle.h"

namespace kafka_napi {

// Resolves with { origBrokerId, brokers: [{id,host,port}], topics: [{name, error, partitions: [...]}] }.
// `topic` empty = every topic in the cluster.
Napi::Value RequestMetadata(Napi::Env env, const std::shared_ptr<Handle>& handle, const std::string& topic,
                            int timeout_ms);

}  // namespace kafka_napi
