#pragma once

#include <optional>

namespace kafka_napi {

// The C allocator, seen from the addon: its account of the memory librdkafka and the addon use, and the
// release of memory they freed. glibc only (both are no-ops elsewhere).
struct AllocatorStats {
  double in_use;       // bytes handed out and not freed
  double free;         // bytes freed but kept by the allocator (its arenas' free chunks)
  double from_system;  // bytes of the arenas, used or not
  double mmapped;      // bytes of blocks mmapped on their own
};
std::optional<AllocatorStats> GetAllocatorStats();

// Called after a client is destroyed (any thread but the JS thread: it walks every arena). glibc keeps
// what a client's threads freed in their arenas' free chunks; the pages inside them stay resident until
// reused. Returning them here is what keeps RSS flat across faults and client churn (docs/reliability.md,
// soak): the soak measured in-use memory flat and the allocator's free memory growing.
void ReturnFreedMemory();

}  // namespace kafka_napi
