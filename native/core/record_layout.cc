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

namespace {

// One header of a parsed list: its name, value and value size.
struct Header {
  const char* name;
  const void* value;
  size_t size;
};

Header HeaderAt(rd_kafka_headers_t* hdrs, size_t j) {
  Header h{};
  rd_kafka_header_get_all(hdrs, j, &h.name, &h.value, &h.size);
  return h;
}

// First pass over a batch: the slab's size and the header count, so everything lands in one allocation.
// librdkafka parses a message's headers on first access; the parsed lists are kept for the second pass.
struct BatchSizes {
  size_t slab = 0;
  size_t headers = 0;
  std::vector<rd_kafka_headers_t*> message_headers;
};

BatchSizes MeasureBatch(rd_kafka_message_t* const* msgs, size_t count) {
  BatchSizes sizes;
  sizes.message_headers.assign(count, nullptr);
  for (size_t i = 0; i < count; i++) {
    rd_kafka_message_t* m = msgs[i];
    sizes.slab += m->key_len + m->len;
    rd_kafka_headers_t* hdrs = nullptr;
    if (m->err || rd_kafka_message_headers(m, &hdrs) != RD_KAFKA_RESP_ERR_NO_ERROR || !hdrs) continue;
    sizes.message_headers[i] = hdrs;
    size_t hc = rd_kafka_header_cnt(hdrs);
    for (size_t j = 0; j < hc; j++) {
      Header h = HeaderAt(hdrs, j);
      sizes.slab += std::strlen(h.name) + h.size;
    }
    sizes.headers += hc;
  }
  return sizes;
}

// Appends bytes to the slab; returns where they start.
class SlabWriter {
 public:
  explicit SlabWriter(uint8_t* base) : base_(base) {}
  int32_t Put(const void* data, size_t size) {
    size_t at = pos_;
    if (size) std::memcpy(base_ + pos_, data, size);
    pos_ += size;
    return static_cast<int32_t>(at);
  }

 private:
  uint8_t* base_;
  size_t pos_ = 0;
};

// The batch's topic names, each once: a record carries its topic's index (a batch holds few topics).
class TopicTable {
 public:
  explicit TopicTable(Napi::Env env) : names_(Napi::Array::New(env)) {}
  int32_t IndexOf(const rd_kafka_topic_t* rkt) {
    if (!rkt) return -1;
    for (size_t t = 0; t < handles_.size(); t++) {
      if (handles_[t] == rkt) return static_cast<int32_t>(t);
    }
    handles_.push_back(rkt);
    auto index = static_cast<uint32_t>(handles_.size() - 1);
    names_.Set(index, OrEmpty(rd_kafka_topic_name(rkt)));
    return static_cast<int32_t>(index);
  }
  Napi::Array Names() const { return names_; }

 private:
  Napi::Array names_;
  std::vector<const rd_kafka_topic_t*> handles_;
};

// Writes a message's headers from `*hpos` on; returns how many.
int32_t WriteHeaders(rd_kafka_headers_t* hdrs, int32_t* out, size_t* hpos, SlabWriter& slab) {
  size_t hc = rd_kafka_header_cnt(hdrs);
  for (size_t j = 0; j < hc; j++) {
    Header hd = HeaderAt(hdrs, j);
    int32_t* h = out + (*hpos)++ * kIntsPerHeader;
    size_t name_len = std::strlen(hd.name);
    h[kHeaderNameOffset] = slab.Put(hd.name, name_len);
    h[kHeaderNameLength] = static_cast<int32_t>(name_len);
    h[kHeaderValueOffset] = slab.Put(hd.value, hd.size);
    h[kHeaderValueLength] = hd.value ? static_cast<int32_t>(hd.size) : -1;
  }
  return static_cast<int32_t>(hc);
}

// One record's ints and numbers; its key and value go to the slab.
void WriteRecord(rd_kafka_message_t* m, int32_t topic_index, int32_t* r, double* d, SlabWriter& slab) {
  r[kTopicIndex] = topic_index;
  r[kPartition] = m->partition;
  r[kError] = m->err;
  r[kKeyOffset] = slab.Put(m->key, m->key_len);
  r[kKeyLength] = m->key ? static_cast<int32_t>(m->key_len) : -1;
  // For error messages the payload is librdkafka's error string.
  r[kValueOffset] = slab.Put(m->payload, m->len);
  r[kValueLength] = m->payload ? static_cast<int32_t>(m->len) : -1;
  rd_kafka_timestamp_type_t tstype = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE;
  d[kOffset] = static_cast<double>(m->offset);
  d[kTimestamp] = m->err ? -1 : static_cast<double>(rd_kafka_message_timestamp(m, &tstype));
  d[kLeaderEpoch] = m->err ? -1 : rd_kafka_message_leader_epoch(m);
  r[kTimestampType] = tstype;
}

}  // namespace

Napi::Object EncodeRecords(Napi::Env env, rd_kafka_message_t* const* msgs, size_t count) {
  BatchSizes sizes = MeasureBatch(msgs, count);
  auto slab = Napi::Buffer<uint8_t>::New(env, sizes.slab);
  auto ints = Napi::Int32Array::New(env, count * kIntsPerRecord);
  auto numbers = Napi::Float64Array::New(env, count * kNumbersPerRecord);
  auto headers = Napi::Int32Array::New(env, sizes.headers * kIntsPerHeader);
  TopicTable topics(env);
  SlabWriter writer(slab.Data());
  size_t hpos = 0;
  for (size_t i = 0; i < count; i++) {
    rd_kafka_message_t* m = msgs[i];
    int32_t* r = ints.Data() + i * kIntsPerRecord;
    WriteRecord(m, topics.IndexOf(m->rkt), r, numbers.Data() + i * kNumbersPerRecord, writer);
    r[kHeaderStart] = static_cast<int32_t>(hpos);
    rd_kafka_headers_t* hdrs = sizes.message_headers[i];
    r[kHeaderCount] = hdrs ? WriteHeaders(hdrs, headers.Data(), &hpos, writer) : 0;
  }
  Napi::Object out = Napi::Object::New(env);
  out.Set("count", Napi::Number::New(env, static_cast<double>(count)));
  out.Set("slab", slab);
  out.Set("ints", ints);
  out.Set("numbers", numbers);
  out.Set("headers", headers);
  out.Set("topics", topics.Names());
  return out;
}

}  // namespace kafka_napi
