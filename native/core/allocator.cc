#include "allocator.h"

#include <atomic>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace kafka_napi {

std::optional<AllocatorStats> GetAllocatorStats() {
#if defined(__GLIBC__)
  // mallinfo sums every arena. Its int fields are exact below 2 GiB, enough for the soak; mallinfo2 is
  // newer than the glibc the prebuilds target (2.17).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"  // for mallinfo2, which 2.17 lacks
  struct mallinfo m = mallinfo();
#pragma GCC diagnostic pop
  auto bytes = [](int v) { return static_cast<double>(static_cast<unsigned>(v)); };
  return AllocatorStats{bytes(m.uordblks), bytes(m.fordblks), bytes(m.arena), bytes(m.hblkhd)};
#else
  return std::nullopt;
#endif
}

void ReturnFreedMemory() {
#if defined(__GLIBC__)
  // One walk over the arenas at a time: clients closed together (a pool, a shutdown) do not queue up
  // on the arenas' locks. A close that finds a walk running skips its own; what the walk had already
  // passed is returned by a later close.
  static std::atomic<bool> running{false};
  if (running.exchange(true)) return;
  malloc_trim(0);
  running.store(false);
#endif
}

}  // namespace kafka_napi
