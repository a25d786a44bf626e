import Glibc

/// Bounded reads of a file's start or end through a file descriptor, for files that may be large (container logs)
/// when only a little of them is wanted.
public enum FileBytes {
    /// At most the first `maxBytes` bytes of the file at `path`; nil when it cannot be opened or read.
    public static func prefix(atPath path: String, maxBytes: Int) -> [UInt8]? {
        withOpenFile(path) { fd in readUpTo(fd, maxBytes) }
    }

    /// At most the last `maxBytes` bytes of the file at `path` (all of it when it is smaller); nil when it cannot
    /// be opened or read.
    public static func suffix(atPath path: String, maxBytes: Int) -> [UInt8]? {
        withOpenFile(path) { fd in
            let size = lseek(fd, 0, SEEK_END)
            guard size >= 0 else { return nil }
            let start = max(0, size - off_t(maxBytes))
            guard lseek(fd, start, SEEK_SET) == start else { return nil }
            return readUpTo(fd, maxBytes)
        }
    }

    private static func withOpenFile(_ path: String, _ body: (Int32) -> [UInt8]?) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        return body(fd)
    }

    /// Reads until `limit` bytes or the end of the file: one `read` may return less than asked, for example when a
    /// writer is appending or a signal arrives.
    private static func readUpTo(_ fd: Int32, _ limit: Int) -> [UInt8]? {
        guard limit > 0 else { return [] }
        var bytes = [UInt8](repeating: 0, count: limit)
        var filled = 0
        while filled < limit {
            let count = bytes.withUnsafeMutableBytes { buffer in
                read(fd, buffer.baseAddress.map { $0 + filled }, limit - filled)
            }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                return nil
            }
            filled += count
        }
        bytes.removeSubrange(filled...)
        return bytes
    }
}
