// The worker allocates with jemalloc instead of glibc's malloc (docs/delivery.md, "Memory").
// Each delivery allocates and frees a few dozen small objects across threads: the batch is
// built on Swift's pool and torn down on a transfer thread. glibc's arenas served that at
// about 58 us of worker CPU per delivery; jemalloc's thread caches at about 50 us
// (ops/bench-deliveries 200000).
//
// jemalloc reads `malloc_conf` from the program before the first allocation:
// - two arenas, not four per core: the worker has ten threads but only two cores, and each
//   arena keeps pages of its own;
// - freed pages go back to the system after 200 ms instead of 10 s, and are not kept in
//   the lazily-purged ("muzzy") state; with jemalloc's defaults the peak resident memory
//   passed the worker's 64 MB budget.
#include "callocator.h"

const char *malloc_conf = "narenas:2,dirty_decay_ms:200,muzzy_decay_ms:0";

const char *tutti_allocator_options(void) { return malloc_conf; }
