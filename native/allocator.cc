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
  struct mallinfo m = mallinfo();
  auto bytes = [](int v) { return static_cast<double>(static_cast<unsigned>(v)); };
  return AllocatorStats{bytes(m.uordblks), bytes(m.fordblks), bytes(m.arena), bytes(m.hblkhd)};
#else
  return std::nullopt;
#endif
}

void ReturnFreedMemory() {
#if defined(__GLIBC__)
  // Clients closed together (a process shutting down, a pool) need one walk over the arenas, not one
  // each: a trim already running covers what the others freed before it reached their arenas.
  static std::atomic<bool> running{false};
  if (running.exchange(true)) return;
  malloc_trim(0);
  running.store(false);
#endif
}

}  // namespace kafka_napi
