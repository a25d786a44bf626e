#ifndef SWIFTLET_CSYSTEMSUPPORT_SHIM_H
#define SWIFTLET_CSYSTEMSUPPORT_SHIM_H
/* The few C calls SystemSupport and CRI need that Swift's Glibc module cannot make: prctl is variadic, glibc's
   pthread_setname_np is hidden from Swift behind _GNU_SOURCE, and <sys/eventfd.h> is not in the Glibc module. */
#include <fcntl.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <unistd.h>

/* O_PATH and AT_EMPTY_PATH are behind _GNU_SOURCE too; these are Linux's values on every architecture Swift
   builds for (asm-generic). */
#ifndef O_PATH
#define O_PATH 010000000
#endif
#ifndef AT_EMPTY_PATH
#define AT_EMPTY_PATH 0x1000
#endif

/** Pins `name` in `dirfd` without following a symbolic link: an O_PATH descriptor of the inode found. */
static inline int swiftlet_open_inode(int dirfd, const char *name) {
    return openat(dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
}

/** Changes the group of the inode `fd` pins (uid unchanged). */
static inline int swiftlet_fchown_inode_group(int fd, gid_t gid) {
    return fchownat(fd, "", (uid_t)-1, gid, AT_EMPTY_PATH);
}

/** Names the calling thread as the kernel shows it in /proc and `top -H`; the kernel keeps the first 15 bytes. */
static inline int swiftlet_set_thread_name(const char *name) { return prctl(PR_SET_NAME, name, 0, 0, 0); }

/** A non-blocking, close-on-exec eventfd: how a thread waiting in poll (CRI's connection readers) or in libevent
    (EventHTTP's loops) is woken from another thread. */
static inline int swiftlet_make_eventfd(void) { return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC); }
/** Makes the eventfd readable. */
static inline void swiftlet_eventfd_signal(int fd) { uint64_t one = 1; ssize_t r = write(fd, &one, sizeof(one)); (void)r; }
/** Resets the eventfd after a wake-up. */
static inline void swiftlet_eventfd_drain(int fd) { uint64_t v; ssize_t r = read(fd, &v, sizeof(v)); (void)r; }
#endif
