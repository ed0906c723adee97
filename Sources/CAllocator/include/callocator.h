#ifndef TUTTI_CALLOCATOR_H
#define TUTTI_CALLOCATOR_H

/// The jemalloc options the worker runs with (see allocator.c); read once at start-up.
const char *tutti_allocator_options(void);

#endif
