// Owning handles for librdkafka objects handed to us. Every path out of a native method, including an
// exception (a terminating worker makes any Node-API call throw), must release them: an event or message
// leaked holds references to librdkafka's partitions, and rd_kafka_destroy then waits forever for the
// broker threads those partitions keep alive.
#pragma once

#include <librdkafka/rdkafka.h>

#include <memory>
#include <vector>

namespace kafka_napi {

struct EventDeleter {
  void operator()(rd_kafka_event_t* event) const { rd_kafka_event_destroy(event); }
};
using EventPtr = std::unique_ptr<rd_kafka_event_t, EventDeleter>;

// Next event of `queue` without waiting, owned (empty when there is none).
inline EventPtr PollEvent(rd_kafka_queue_t* queue) { return EventPtr(rd_kafka_queue_poll(queue, 0)); }

using PartitionListPtr = std::unique_ptr<rd_kafka_topic_partition_list_t, void (*)(rd_kafka_topic_partition_list_t*)>;
inline PartitionListPtr OwnList(rd_kafka_topic_partition_list_t* list) {
  return PartitionListPtr(list, rd_kafka_topic_partition_list_destroy);
}

using GroupMetadataPtr = std::shared_ptr<rd_kafka_consumer_group_metadata_t>;  // shared: task lambdas must be copyable
inline GroupMetadataPtr OwnGroupMetadata(rd_kafka_consumer_group_metadata_t* group) {
  return GroupMetadataPtr(group, rd_kafka_consumer_group_metadata_destroy);
}

// Messages returned by rd_kafka_consume_batch_queue: destroyed together when the batch goes out of scope.
class MessageBatch {
 public:
  explicit MessageBatch(size_t capacity) : messages_(capacity) {}
  MessageBatch(const MessageBatch&) = delete;
  MessageBatch& operator=(const MessageBatch&) = delete;
  ~MessageBatch() {
    for (rd_kafka_message_t* m : messages_) rd_kafka_message_destroy(m);
  }
  rd_kafka_message_t** data() { return messages_.data(); }
  // Keeps the first `n` slots (the ones librdkafka filled); n < 0 (an error) keeps none.
  void Filled(ssize_t n) { messages_.resize(n > 0 ? static_cast<size_t>(n) : 0); }
  const std::vector<rd_kafka_message_t*>& messages() const { return messages_; }

 private:
  std::vector<rd_kafka_message_t*> messages_;
};

}  // namespace kafka_napi
