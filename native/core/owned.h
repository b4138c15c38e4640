// Owning handles for librdkafka objects handed to us. Every path out of a native method, including an
// exception (a terminating worker makes any Node-API call throw), must release them: an event or message
// leaked holds references to librdkafka's partitions, and rd_kafka_destroy then waits forever for the
// broker threads those partitions keep alive. Objects whose ownership passes to librdkafka (headers given
// to rd_kafka_produceva, a configuration given to rd_kafka_new) are released from these only once
// librdkafka has accepted them.
#pragma once

#include <librdkafka/rdkafka.h>

#include <memory>
#include <utility>
#include <vector>

namespace kafka_napi {

template <typename T, void (*Destroy)(T*)>
struct Destroyer {
  void operator()(T* object) const { Destroy(object); }
};
// A librdkafka object destroyed by `Destroy` when the owner goes out of scope.
template <typename T, void (*Destroy)(T*)>
using Owned = std::unique_ptr<T, Destroyer<T, Destroy>>;

using EventPtr = Owned<rd_kafka_event_t, rd_kafka_event_destroy>;
using ConfPtr = Owned<rd_kafka_conf_t, rd_kafka_conf_destroy>;
using QueuePtr = Owned<rd_kafka_queue_t, rd_kafka_queue_destroy>;
using TopicPtr = Owned<rd_kafka_topic_t, rd_kafka_topic_destroy>;
using HeadersPtr = Owned<rd_kafka_headers_t, rd_kafka_headers_destroy>;
using ErrorPtr = Owned<rd_kafka_error_t, rd_kafka_error_destroy>;
using MetadataPtr = Owned<const rd_kafka_metadata_t, rd_kafka_metadata_destroy>;
using NewTopicPtr = Owned<rd_kafka_NewTopic_t, rd_kafka_NewTopic_destroy>;
using DeleteTopicPtr = Owned<rd_kafka_DeleteTopic_t, rd_kafka_DeleteTopic_destroy>;
using AdminOptionsPtr = Owned<rd_kafka_AdminOptions_t, rd_kafka_AdminOptions_destroy>;
using NewPartitionsPtr = Owned<rd_kafka_NewPartitions_t, rd_kafka_NewPartitions_destroy>;
using ConfigResourcePtr = Owned<rd_kafka_ConfigResource_t, rd_kafka_ConfigResource_destroy>;
using DeleteRecordsPtr = Owned<rd_kafka_DeleteRecords_t, rd_kafka_DeleteRecords_destroy>;
using TopicCollectionPtr = Owned<rd_kafka_TopicCollection_t, rd_kafka_TopicCollection_destroy>;
using DeleteGroupPtr = Owned<rd_kafka_DeleteGroup_t, rd_kafka_DeleteGroup_destroy>;
using ListGroupOffsetsPtr = Owned<rd_kafka_ListConsumerGroupOffsets_t, rd_kafka_ListConsumerGroupOffsets_destroy>;
using AlterGroupOffsetsPtr = Owned<rd_kafka_AlterConsumerGroupOffsets_t, rd_kafka_AlterConsumerGroupOffsets_destroy>;
using DeleteGroupOffsetsPtr = Owned<rd_kafka_DeleteConsumerGroupOffsets_t, rd_kafka_DeleteConsumerGroupOffsets_destroy>;
using AclBindingPtr = Owned<rd_kafka_AclBinding_t, rd_kafka_AclBinding_destroy>;
using ScramAlterationPtr =
    Owned<rd_kafka_UserScramCredentialAlteration_t, rd_kafka_UserScramCredentialAlteration_destroy>;
using ElectLeadersPtr = Owned<rd_kafka_ElectLeaders_t, rd_kafka_ElectLeaders_destroy>;
using PartitionListPtr = Owned<rd_kafka_topic_partition_list_t, rd_kafka_topic_partition_list_destroy>;
// Shared: captured by task lambdas, which std::function requires to be copyable.
using SharedPartitionList = std::shared_ptr<rd_kafka_topic_partition_list_t>;
using GroupMetadataPtr = std::shared_ptr<rd_kafka_consumer_group_metadata_t>;

// Next event of `queue` without waiting, owned (empty when there is none).
inline EventPtr PollEvent(rd_kafka_queue_t* queue) { return EventPtr(rd_kafka_queue_poll(queue, 0)); }

inline PartitionListPtr OwnList(rd_kafka_topic_partition_list_t* list) { return PartitionListPtr(list); }

inline GroupMetadataPtr OwnGroupMetadata(rd_kafka_consumer_group_metadata_t* group) {
  return GroupMetadataPtr(group, rd_kafka_consumer_group_metadata_destroy);
}

// Messages returned by rd_kafka_consume_batch_queue: destroyed together when the batch goes out of scope.
// The array librdkafka fills is borrowed from `spare` and given back afterwards, so a consumer polled in a
// loop allocates it once (at the largest capacity asked for) instead of `capacity` pointers per call,
// empty or not. A nested batch finds `spare` empty (taken) and uses an array of its own.
class MessageBatch {
 public:
  MessageBatch(std::vector<rd_kafka_message_t*>& spare, size_t capacity)
      : spare_(spare), slots_(std::exchange(spare, {})) {
    if (slots_.size() < capacity) slots_.resize(capacity);
  }
  MessageBatch(const MessageBatch&) = delete;
  MessageBatch& operator=(const MessageBatch&) = delete;
  ~MessageBatch() {
    for (size_t i = 0; i < count_; i++) rd_kafka_message_destroy(slots_[i]);
    spare_ = std::move(slots_);
  }
  rd_kafka_message_t** data() { return slots_.data(); }
  // Owns the first `n` slots (the ones librdkafka filled); n < 0 (an error) owns none.
  void Filled(ssize_t n) { count_ = n > 0 ? static_cast<size_t>(n) : 0; }
  size_t size() const { return count_; }
  rd_kafka_message_t* operator[](size_t i) const { return slots_[i]; }

 private:
  std::vector<rd_kafka_message_t*>& spare_;
  std::vector<rd_kafka_message_t*> slots_;
  size_t count_ = 0;
};

}  // namespace kafka_napi
