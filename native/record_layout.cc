#include "record_layout.h"

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

}  // namespace kafka_napi
