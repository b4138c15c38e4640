#include "record_layout.h"

#include <cstring>
#include <vector>

#include "args.h"

namespace kafka_napi {

Napi::Object RecordLayout(Napi::Env env) {
  Napi::Object ints = Napi::Object::New(env);
  ints.Set("topicIndex", static_cast<int>(kTopicIndex));
  ints.Set("partition", static_cast<int>(kPartition));
  ints.Set("keyOffset", static_cast<int>(kKeyOffset));
  ints.Set("keyLength", static_cast<int>(kKeyLength));
  ints.Set("valueOffset", static_cast<int>(kValueOffset));
  ints.Set("valueLength", static_cast<int>(kValueLength));
  ints.Set("timestampType", static_cast<int>(kTimestampType));
  ints.Set("headerStart", static_cast<int>(kHeaderStart));
  ints.Set("headerCount", static_cast<int>(kHeaderCount));
  ints.Set("error", static_cast<int>(kError));
  Napi::Object numbers = Napi::Object::New(env);
  numbers.Set("offset", static_cast<int>(kOffset));
  numbers.Set("timestamp", static_cast<int>(kTimestamp));
  numbers.Set("leaderEpoch", static_cast<int>(kLeaderEpoch));
  Napi::Object headers = Napi::Object::New(env);
  headers.Set("nameOffset", static_cast<int>(kHeaderNameOffset));
  headers.Set("nameLength", static_cast<int>(kHeaderNameLength));
  headers.Set("valueOffset", static_cast<int>(kHeaderValueOffset));
  headers.Set("valueLength", static_cast<int>(kHeaderValueLength));
  Napi::Object layout = Napi::Object::New(env);
  layout.Set("ints", ints);
  layout.Set("intsPerRecord", static_cast<int>(kIntsPerRecord));
  layout.Set("numbers", numbers);
  layout.Set("numbersPerRecord", static_cast<int>(kNumbersPerRecord));
  layout.Set("headers", headers);
  layout.Set("intsPerHeader", static_cast<int>(kIntsPerHeader));
  return layout;
}

Napi::Object EncodeRecords(Napi::Env env, rd_kafka_message_t* const* msgs, size_t count) {
  // First pass: sizes, so everything lands in one allocation.
  // librdkafka parses a message's headers on first access; the parsed list is kept for the second pass.
  size_t slab_size = 0, header_count = 0;
  std::vector<rd_kafka_headers_t*> message_headers(count, nullptr);
  for (size_t i = 0; i < count; i++) {
    rd_kafka_message_t* m = msgs[i];
    slab_size += m->key_len + m->len;
    if (m->err) continue;
    rd_kafka_headers_t* hdrs = nullptr;
    if (rd_kafka_message_headers(m, &hdrs) == RD_KAFKA_RESP_ERR_NO_ERROR && hdrs) {
      message_headers[i] = hdrs;
      size_t hc = rd_kafka_header_cnt(hdrs);
      for (size_t j = 0; j < hc; j++) {
        const char* name;
        const void* value;
        size_t size;
        rd_kafka_header_get_all(hdrs, j, &name, &value, &size);
        slab_size += std::strlen(name) + size;
      }
      header_count += hc;
    }
  }
  auto slab = Napi::Buffer<uint8_t>::New(env, slab_size);
  auto ints = Napi::Int32Array::New(env, count * kIntsPerRecord);
  auto numbers = Napi::Float64Array::New(env, count * kNumbersPerRecord);
  auto headers = Napi::Int32Array::New(env, header_count * kIntsPerHeader);
  Napi::Array topics = Napi::Array::New(env);
  std::vector<const rd_kafka_topic_t*> topic_handles;
  uint8_t* base = slab.Data();
  size_t pos = 0, hpos = 0;
  auto put = [&](const void* data, size_t size) {
    size_t at = pos;
    if (size) std::memcpy(base + pos, data, size);
    pos += size;
    return static_cast<int32_t>(at);
  };

  for (size_t i = 0; i < count; i++) {
    rd_kafka_message_t* m = msgs[i];
    int32_t* r = ints.Data() + i * kIntsPerRecord;
    double* d = numbers.Data() + i * kNumbersPerRecord;
    int32_t topic_index = -1;
    if (m->rkt) {
      for (size_t t = 0; t < topic_handles.size(); t++) {
        if (topic_handles[t] == m->rkt) topic_index = static_cast<int32_t>(t);
      }
      if (topic_index < 0) {
        topic_index = static_cast<int32_t>(topic_handles.size());
        topic_handles.push_back(m->rkt);
        topics.Set(static_cast<uint32_t>(topic_index), OrEmpty(rd_kafka_topic_name(m->rkt)));
      }
    }
    r[kTopicIndex] = topic_index;
    r[kPartition] = m->partition;
    r[kError] = m->err;
    r[kKeyOffset] = put(m->key, m->key_len);
    r[kKeyLength] = m->key ? static_cast<int32_t>(m->key_len) : -1;
    // For error messages the payload is librdkafka's error string.
    r[kValueOffset] = put(m->payload, m->len);
    r[kValueLength] = m->payload ? static_cast<int32_t>(m->len) : -1;
    rd_kafka_timestamp_type_t tstype = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE;
    d[kOffset] = static_cast<double>(m->offset);
    d[kTimestamp] = m->err ? -1 : static_cast<double>(rd_kafka_message_timestamp(m, &tstype));
    d[kLeaderEpoch] = m->err ? -1 : rd_kafka_message_leader_epoch(m);
    r[kTimestampType] = tstype;
    r[kHeaderStart] = static_cast<int32_t>(hpos);
    r[kHeaderCount] = 0;
    if (rd_kafka_headers_t* hdrs = message_headers[i]) {
      size_t hc = rd_kafka_header_cnt(hdrs);
      for (size_t j = 0; j < hc; j++) {
        const char* name;
        const void* value;
        size_t size;
        rd_kafka_header_get_all(hdrs, j, &name, &value, &size);
        int32_t* h = headers.Data() + hpos * kIntsPerHeader;
        size_t name_len = std::strlen(name);
        h[kHeaderNameOffset] = put(name, name_len);
        h[kHeaderNameLength] = static_cast<int32_t>(name_len);
        h[kHeaderValueOffset] = put(value, size);
        h[kHeaderValueLength] = value ? static_cast<int32_t>(size) : -1;
        hpos++;
      }
      r[kHeaderCount] = static_cast<int32_t>(hc);
    }
  }
  Napi::Object out = Napi::Object::New(env);
  out.Set("count", Napi::Number::New(env, static_cast<double>(count)));
  out.Set("slab", slab);
  out.Set("ints", ints);
  out.Set("numbers", numbers);
  out.Set("headers", headers);
  out.Set("topics", topics);
  return out;
}

}  // namespace kafka_napi
