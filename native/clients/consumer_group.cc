// The consumer's group membership on the native side: rebalances applied (by JS through rebalanceDone,
// or here when JS cannot), and leaving the group when the client is destroyed (consumer.h).
#include <librdkafka/rdkafka.h>

#include <chrono>
#include <cstring>
#include <vector>

#include "../core/owned.h"
#include "../core/topic_partitions.h"
#include "consumer.h"

namespace kafka_napi {

Handle::BeforeDestroy Consumer::BeforeDestroy() {
  // Commits stored offsets (when auto-commit is on) and leaves the group, on the close thread, unless
  // closeAsync already did. Rebalances served here are applied directly (in_consume is false).
  // A rebalance JS never finished is applied first, so the group can move on, then released. Runs on the
  // close thread after JS stopped touching the state (the client is no longer open).
  RebalanceState* state = rebalance_;
  return [state](rd_kafka_t* rk) {
    bool cooperative = Cooperative(rk, state);
    state->closing = true;  // the JS thread no longer touches the state
    if (state->pending) ApplyRebalance(rk, state->pending_kind, state->pending.get(), cooperative);
    state->Release();
    Handle::DestroyPlan plan = LeaveGroup(rk, state);
    if (!plan.linger) DrainConsumerQueue(rk);
    return plan;
  };
}

// rd_kafka_consumer_close() has no timeout, and it never returned for a KIP-848 member that had been
// subscribed and unsubscribed repeatedly, or when closeAsync had already started closing (its second
// terminate request is refused, and it waits for a reply that never comes). That thread is joined at
// process exit, so the process could not exit either. Instead: the asynchronous close, served here
// for at most kLeaveGroupMs; past that close() resolves (the group rebalances after the session timeout,
// as for a crashed member) and the leave goes on in the background (Handle::Linger) for up to
// kLingerMs, after which the client is destroyed, or, if the group never terminated, abandoned.
Handle::DestroyPlan Consumer::LeaveGroup(rd_kafka_t* rk, RebalanceState* state) {
  constexpr int kLeaveGroupMs = 10000;
  constexpr int kLingerMs = 300000;
  if (rd_kafka_consumer_closed(rk)) return {};
  auto close_queue = std::make_shared<QueuePtr>(rd_kafka_queue_new(rk));
  // After closeAsync, JS has served the close for its own 10 s already (its rebalances arrive on the
  // consumer queue): only a short last chance here, and no second close request.
  int wait_ms = state->close_started ? 1000 : kLeaveGroupMs;
  if (!state->close_started) {
    DropSubscription(rk);
    ErrorPtr error(rd_kafka_consumer_close_queue(rk, close_queue->get()));
  }
  bool cooperative = Cooperative(rk, state);
  if (ServeLeave(rk, close_queue->get(), cooperative, wait_ms)) return {};
  // A group that did not terminate by now may be waiting for an unreachable coordinator (it finishes
  // when the coordinator answers or its requests time out), or may never terminate (seen for churned
  // KIP-848 members): rd_kafka_destroy joins librdkafka's main thread, which waits for exactly that.
  // Nothing of ours is reachable from the lingering thread: queue callbacks are disabled first, `state`
  // is not used (the JS side may free it), and only a thread polling the consumer queue (the lingering
  // one) calls OnRebalance.
  Handle::DestroyPlan plan;
  plan.linger = [close_queue, cooperative](rd_kafka_t* rk) {
    bool closed = ServeLeave(rk, close_queue->get(), cooperative, kLingerMs);
    close_queue->reset();
    if (closed) DrainConsumerQueue(rk);
    return closed;
  };
  return plan;
}

// Serves the close queue (a rebalance arrives as an event to apply) and the consumer queue (consume runs
// OnRebalance, applied here since not inside Consume) until the consumer is closed or `wait_ms` passed.
bool Consumer::ServeLeave(rd_kafka_t* rk, rd_kafka_queue_t* close_queue, bool cooperative, int wait_ms) {
  QueuePtr consumer_queue(rd_kafka_queue_get_consumer(rk));
  std::vector<rd_kafka_message_t*> spare;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(wait_ms);
  while (!rd_kafka_consumer_closed(rk) && std::chrono::steady_clock::now() < deadline) {
    EventPtr event(rd_kafka_queue_poll(close_queue, 100));
    if (event && rd_kafka_event_type(event.get()) == RD_KAFKA_EVENT_REBALANCE) {
      ApplyRebalance(rk, rd_kafka_event_error(event.get()), rd_kafka_event_topic_partition_list(event.get()),
                     cooperative);
    }
    if (consumer_queue) {
      MessageBatch drained(spare, 100);
      drained.Filled(rd_kafka_consume_batch_queue(consumer_queue.get(), 0, drained.data(), 100));
    }
  }
  return rd_kafka_consumer_closed(rk);
}

void Consumer::ReleaseForTeardown() {
  rebalance_->Release();
  DrainConsumerQueue(handle_->rk());
}

// Whatever is still in the consumer queue (prefetched messages, fetcher replies) references
// partitions, and through them broker threads: rd_kafka_destroy would wait for those forever. A consumer
// that only used assign() is closed at once, with nobody having served its queue.
void Consumer::DrainConsumerQueue(rd_kafka_t* rk) {
  QueuePtr queue(rd_kafka_queue_get_consumer(rk));
  if (!queue) return;
  std::vector<rd_kafka_message_t*> spare;
  for (;;) {
    MessageBatch drained(spare, 1000);
    ssize_t n = rd_kafka_consume_batch_queue(queue.get(), 0, drained.data(), 1000);
    drained.Filled(n);
    if (n <= 0) break;
  }
}

bool Consumer::Cooperative(rd_kafka_t* rk, RebalanceState* state) {
  // Once closing, the request could be dropped unanswered by a terminating group (see RunGuarded).
  if (state->closing) return state->cooperative;
  const char* protocol = rd_kafka_rebalance_protocol(rk);
  if (protocol && std::strcmp(protocol, "NONE") != 0) state->cooperative = std::strcmp(protocol, "COOPERATIVE") == 0;
  return state->cooperative;
}

void Consumer::DropSubscription(rd_kafka_t* rk) { rd_kafka_unsubscribe(rk); }

ErrorPtr Consumer::ApplyRebalance(rd_kafka_t* rk, rd_kafka_resp_err_t kind,
                                  const rd_kafka_topic_partition_list_t* partitions, bool cooperative) {
  if (kind == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
    if (cooperative) return ErrorPtr(rd_kafka_incremental_assign(rk, partitions));
    rd_kafka_resp_err_t err = rd_kafka_assign(rk, partitions);
    return ErrorPtr(err ? rd_kafka_error_new(err, "%s", rd_kafka_err2str(err)) : nullptr);
  }
  if (cooperative) return ErrorPtr(rd_kafka_incremental_unassign(rk, partitions));
  rd_kafka_resp_err_t err = rd_kafka_assign(rk, nullptr);
  return ErrorPtr(err ? rd_kafka_error_new(err, "%s", rd_kafka_err2str(err)) : nullptr);
}

// librdkafka serves rebalances on whatever thread polls the consumer queue: the JS thread inside
// Consume (then JS runs the application's callbacks, which may be async, and calls rebalanceDone), or
// the close thread while destroying (then the change is applied here and now).
void Consumer::OnRebalance(rd_kafka_t* rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* partitions,
                           void* opaque) {
  auto* state = static_cast<RebalanceState*>(opaque);
  bool to_js = state && state->in_consume && state->pending_kind == RD_KAFKA_RESP_ERR_NO_ERROR &&
               (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS || err == RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS);
  // Asked here, while librdkafka serves the rebalance, so the answer is current when JS applies it later.
  bool cooperative = state ? Cooperative(rk, state) : false;
  if (!to_js) {
    rd_kafka_resp_err_t kind = err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS ? err : RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS;
    ApplyRebalance(rk, kind, partitions, cooperative);
    return;
  }
  state->pending_kind = err;
  state->pending = OwnList(rd_kafka_topic_partition_list_copy(partitions));
}

}  // namespace kafka_napi
