#ifndef SWIFTLET_CZLIB_SHIM_H
#define SWIFTLET_CZLIB_SHIM_H
/* zlib for ContainerLogs (gzip of rotated container logs, as kubelet does). deflateInit2/inflateInit2 are
   function-like macros, which Swift does not import, so they are wrapped here. */
#include <zlib.h>

/** Starts a gzip (not zlib/raw) deflate stream: windowBits 15 + 16 selects the gzip wrapper. */
static inline int swiftlet_deflate_init_gzip(z_streamp stream, int level) {
    return deflateInit2(stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
}

/** Starts an inflate stream that accepts gzip only (windowBits 15 + 16). */
static inline int swiftlet_inflate_init_gzip(z_streamp stream) {
    return inflateInit2(stream, 15 + 16);
}
#endif
