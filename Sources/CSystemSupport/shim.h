#ifndef SWIFTLET_CSYSTEMSUPPORT_SHIM_H
#define SWIFTLET_CSYSTEMSUPPORT_SHIM_H
/* The few C calls SystemSupport needs that Swift's Glibc module cannot make: prctl is variadic, and glibc's
   pthread_setname_np is hidden from Swift behind _GNU_SOURCE. */
#include <sys/prctl.h>

/** Names the calling thread as the kernel shows it in /proc and `top -H`; the kernel keeps the first 15 bytes. */
static inline int swiftlet_set_thread_name(const char *name) { return prctl(PR_SET_NAME, name, 0, 0, 0); }
#endif
