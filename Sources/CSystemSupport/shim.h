#ifndef SWIFTLET_CSYSTEMSUPPORT_SHIM_H
#define SWIFTLET_CSYSTEMSUPPORT_SHIM_H
/* The few C calls SystemSupport and CRI need that Swift's Glibc module cannot make: prctl is variadic, glibc's
   pthread_setname_np is hidden from Swift behind _GNU_SOURCE, and <sys/eventfd.h> is not in the Glibc module. */
#include <sys/eventfd.h>
#include <sys/prctl.h>

/** Names the calling thread as the kernel shows it in /proc and `top -H`; the kernel keeps the first 15 bytes. */
static inline int swiftlet_set_thread_name(const char *name) { return prctl(PR_SET_NAME, name, 0, 0, 0); }

/** A non-blocking, close-on-exec eventfd (CRI's gRPC connections wake their reader thread with it). */
static inline int swiftlet_make_eventfd(void) { return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC); }
#endif
