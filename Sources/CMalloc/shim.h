#ifndef SWIFTLET_CMALLOC_SHIM_H
#define SWIFTLET_CMALLOC_SHIM_H
/* glibc's malloc statistics and trimming (<malloc.h> is not part of Swift's Glibc module), for the agent's heap
   trimmer. Other C libraries have neither, so the calls are wrapped and report "unsupported" there. */
#include <stdlib.h> /* defines __GLIBC__ on glibc */
#if defined(__GLIBC__)
#include <malloc.h>
#endif

/** Bytes held free inside malloc's arenas (mallinfo2's fordblks), or -1 where glibc's mallinfo2 is missing. */
static inline long long swiftlet_malloc_free_bytes(void) {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
    struct mallinfo2 info = mallinfo2();
    return (long long)info.fordblks;
#else
    return -1;
#endif
}

/** Returns free whole pages of every arena to the kernel; 1 if anything was released, 0 if not, -1 unsupported. */
static inline int swiftlet_malloc_trim(void) {
#if defined(__GLIBC__)
    return malloc_trim(0);
#else
    return -1;
#endif
}
#endif
