import Glibc

/// An open, read-only log file, read with `pread` at explicit offsets (no shared file position, so the same file
/// can be read backwards for `tailLines` and forwards afterwards). Closes its descriptor on `close()` or deinit.
final class LogFile {
    /// The path the file was opened at (it may have been renamed since).
    let path: String
    /// Device and inode, to recognise a new file at the same path after rotation.
    let identity: FileIdentity
    private var fd: Int32

    /// Opens `path` read-only and close-on-exec. A missing file is `logFileNotFound`.
    init(path: String) throws(ContainerLogError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            if code == ENOENT || code == ENOTDIR { throw .logFileNotFound(path: path) }
            throw .io(operation: "open", path: path, errno: code)
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let code = errno
            Glibc.close(fd)
            throw .io(operation: "fstat", path: path, errno: code)
        }
        self.path = path
        self.fd = fd
        self.identity = FileIdentity(info)
    }

    deinit { close() }

    /// Current size in bytes (the live file grows while we read it).
    func size() throws(ContainerLogError) -> Int {
        var info = stat()
        guard fd >= 0 else { throw .io(operation: "fstat", path: path, errno: EBADF) }
        guard fstat(fd, &info) == 0 else { throw .io(operation: "fstat", path: path, errno: errno) }
        return Int(info.st_size)
    }

    /// Reads up to `buffer.count` bytes at `offset`; returns the count (0 at end of file).
    func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer, counter: ReadCounter) throws(ContainerLogError) -> Int {
        guard fd >= 0 else { throw .io(operation: "pread", path: path, errno: EBADF) }
        while true {
            let n = pread(fd, buffer.baseAddress, buffer.count, off_t(offset))
            if n >= 0 {
                counter.add(n)
                return n
            }
            if errno == EINTR { continue }
            throw .io(operation: "pread", path: path, errno: errno)
        }
    }

    /// Reads into `buffer[range]`; returns the count (0 at end of file).
    func read(at offset: Int, into buffer: inout [UInt8], range: Range<Int>, counter: ReadCounter) throws(ContainerLogError) -> Int {
        // Array's withUnsafe… functions only rethrow untyped errors, so the typed error travels in a Result.
        let result: Result<Int, ContainerLogError> = buffer.withUnsafeMutableBytes { raw in
            do throws(ContainerLogError) {
                return .success(try read(at: offset, into: UnsafeMutableRawBufferPointer(rebasing: raw[range]),
                                         counter: counter))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Closes the descriptor now; later reads fail with EBADF.
    func close() {
        if fd >= 0 {
            Glibc.close(fd)
            fd = -1
        }
    }
}

/// Device + inode of a file: equal identities mean the same file, whatever its name now.
struct FileIdentity: Hashable, Sendable {
    var device: UInt64
    var inode: UInt64

    init(_ info: stat) {
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
    }

    /// The identity of the file now at `path`, or nil when there is none.
    static func of(path: String) -> FileIdentity? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return FileIdentity(info)
    }
}
