// The few threads every client of the process shares for blocking librdkafka calls (metadata, committed,
// watermarks, offsetsForTimes, flush). Before it, each such call started a thread of its own: 64 consumers
// asking for their committed offsets at once meant 64 new threads.
//
// A task is a step function: it blocks at most about one slice (Handle::kTaskSliceMs) per call and
// returns false while it has more to do. A step that is not finished goes to the back of the queue when
// other tasks wait, so a flush(-1) that cannot finish (brokers down) shares a thread instead of holding
// it: with a fixed pool, four of those would otherwise starve every other client's calls.
#pragma once

#include <cstddef>
#include <functional>

namespace kafka_napi {

class TaskPool {
 public:
  // Returns true once finished; false: call again later. Runs on a pool thread; must not throw.
  using Step = std::function<bool()>;
  static constexpr int kMaxThreads = 4;
  // Threads start on demand and end after kIdleSeconds without work: an idle process has none.
  static constexpr int kIdleSeconds = 10;

  // `tag` groups the steps of one client (its Handle) for Expedite.
  static void Submit(Step step, const void* tag);
  // Moves the queued steps of `tag` to the front: a client that starts closing must not wait behind every
  // other client's slices (its steps then finish at once, and close() waits for them).
  static void Expedite(const void* tag);

  struct Stats {
    int threads;     // alive now
    int peak;        // most alive at once since the process started
    size_t queued;   // steps waiting for a thread
    double started;  // threads ever started
  };
  static Stats GetStats();
};

}  // namespace kafka_napi
