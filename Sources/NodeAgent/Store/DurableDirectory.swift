import FoundationEssentials
import Logging
import SystemSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Object blobs as files in one directory, written the crash-safe way: temporary file, fsync, rename, fsync of the
/// directory.
///
/// Each write fsyncs its own file; the directory fsync that makes the rename durable is shared by concurrent
/// writers (group commit, see `DirectorySyncBatcher`) unless `groupCommit` is false. No call returns before its
/// effect is durable. Blocking syscalls run on a small dedicated thread pool, never on Swift's cooperative pool.
public final class DurableDirectory: ObjectPersistence {
    /// The directory's path.
    public let path: String
    /// Whether concurrent writes share directory fsyncs.
    public let groupCommit: Bool
    /// The subdirectory that receives corrupt and torn files.
    public static let quarantineDirectoryName = "quarantine"
    /// Prefix of in-flight temporary files; one found at startup is the remains of a write that never finished.
    static let temporaryPrefix = ".tmp."

    private let directoryFD: Int32
    private let pool: BlockingIOPool
    private let batcher: DirectorySyncBatcher
    private let ownSyncCount = StoreLock<UInt64>(0)
    private let logger: Logger

    /// Opens (creating it and its parents if needed, mode 0700) the directory at `path`.
    ///
    /// - Parameters:
    ///   - groupCommit: share directory fsyncs between concurrent writes (default); false fsyncs the directory
    ///     once per write, which is only useful for measuring the difference.
    ///   - ioThreads: threads for blocking disk calls; this bounds how many file fsyncs run at once.
    public init(path: String, groupCommit: Bool = true, ioThreads: Int = 4, logger: Logger) throws {
        self.path = path
        self.groupCommit = groupCommit
        self.logger = logger
        var isDirectory = false
        let existed = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        if existed && !isDirectory {
            throw StoreError.io("\(path) exists and is not a directory")
        }
        if !existed {
            do {
                try FileManager.default.createDirectory(
                    atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw StoreError.io("cannot create directory \(path): \(error)")
            }
        }
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw StoreError.io(Self.errnoMessage("open", path)) }
        if !existed {
            // The new directory's own entry must survive a crash too.
            let parent = PathNames.deletingLastComponent(of: path)
            let parentFD = open(parent.isEmpty ? "." : parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if parentFD >= 0 {
                _ = fsync(parentFD)
                close(parentFD)
            }
        }
        directoryFD = fd
        do {
            pool = try BlockingIOPool(threadCount: ioThreads, name: "store-io")
            // The shared directory fsync gets its own thread: queued behind file writes on the shared pool, it would
            // hold back every acknowledgement it covers.
            batcher = DirectorySyncBatcher(
                directoryFD: fd, directoryPath: path, pool: try BlockingIOPool(threadCount: 1, name: "store-dirsync"))
        } catch {
            close(fd)
            throw StoreError.io("\(error)")
        }
    }

    deinit {
        close(directoryFD)
    }

    /// Directory fsyncs performed so far (shared ones count once), for measurements and tests.
    public var directorySyncCount: UInt64 {
        groupCommit ? batcher.syncCount : ownSyncCount.withLock { $0 }
    }

    /// Writes `bytes` to a temporary file, fsyncs it, renames it over `name`, then fsyncs the directory.
    public func write(name: String, bytes: [UInt8]) async throws {
        try Self.checkName(name)
        let temporary = Self.temporaryPrefix + name + "." + String(UInt64.random(in: 0...UInt64.max), radix: 16)
        try await pool.run { [self] in
            let fd = openat(directoryFD, temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw StoreError.io(Self.errnoMessage("create", self.subpath(temporary))) }
            var failure: StoreError?
            if let message = Self.writeAll(fd: fd, bytes: bytes) {
                failure = .io("write \(subpath(temporary)): \(message)")
            } else if fsync(fd) != 0 {
                failure = .io(Self.errnoMessage("fsync", subpath(temporary)))
            }
            close(fd)
            if failure == nil && renameat(directoryFD, temporary, directoryFD, name) != 0 {
                failure = .io(Self.errnoMessage("rename to \(name)", subpath(temporary)))
            }
            if let failure {
                unlinkat(directoryFD, temporary, 0)
                throw failure
            }
            if !groupCommit {
                try syncDirectoryNow()
            }
        }
        if groupCommit {
            try await batcher.sync()
        }
    }

    /// Unlinks `name` and fsyncs the directory.
    public func remove(name: String) async throws {
        try Self.checkName(name)
        try await pool.run { [self] in
            if unlinkat(directoryFD, name, 0) != 0 && errno != ENOENT {
                throw StoreError.io(Self.errnoMessage("remove", subpath(name)))
            }
            if !groupCommit {
                try syncDirectoryNow()
            }
        }
        if groupCommit {
            try await batcher.sync()
        }
    }

    /// Reads the whole file `name`, or nil when it does not exist.
    public func read(name: String) async throws -> [UInt8]? {
        try Self.checkName(name)
        return try await pool.run { [self] in try readFile(name) }
    }

    /// Lists the directory: object files are read and returned; leftover temporary files and unreadable object
    /// files are quarantined and reported.
    public func loadAll() async throws -> PersistenceLoad {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: path).sorted()
        } catch {
            throw StoreError.io("cannot list \(path): \(error)")
        }
        var files: [(name: String, bytes: [UInt8])] = []
        var problems: [LoadProblem] = []
        for name in names where name != Self.quarantineDirectoryName {
            if name.hasPrefix(Self.temporaryPrefix) {
                problems.append(await quarantineReporting(
                    name: name, reason: "unfinished write: a temporary file that was never renamed into place "
                        + "(the write it belonged to was never acknowledged)"))
                continue
            }
            guard name.hasSuffix(ObjectKey.fileSuffix) else { continue }
            do {
                if let bytes = try await read(name: name) {
                    files.append((name, bytes))
                }
            } catch {
                problems.append(await quarantineReporting(name: name, reason: "unreadable: \(error)"))
            }
        }
        return PersistenceLoad(files: files, problems: problems)
    }

    /// Moves `name` into `quarantine/` under a unique name, writes `<that name>.reason`, and fsyncs both
    /// directories.
    public func quarantine(name: String, reason: String) async throws -> String {
        try Self.checkName(name)
        let destination = try await pool.run { [self] () throws -> String in
            if mkdirat(directoryFD, Self.quarantineDirectoryName, 0o700) != 0 && errno != EEXIST {
                throw StoreError.io(Self.errnoMessage("mkdir", subpath(Self.quarantineDirectoryName)))
            }
            let quarantineFD = openat(directoryFD, Self.quarantineDirectoryName, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard quarantineFD >= 0 else {
                throw StoreError.io(Self.errnoMessage("open", subpath(Self.quarantineDirectoryName)))
            }
            defer { close(quarantineFD) }
            let stamp = UInt64(Date().timeIntervalSince1970 * 1000)
            var target = "\(name).\(stamp)"
            var attempt = 1
            var info = stat()
            while fstatat(quarantineFD, target, &info, AT_SYMLINK_NOFOLLOW) == 0 {
                attempt += 1
                target = "\(name).\(stamp)-\(attempt)"
            }
            guard renameat(directoryFD, name, quarantineFD, target) == 0 else {
                throw StoreError.io(Self.errnoMessage("move to quarantine", subpath(name)))
            }
            let reasonFD = openat(
                quarantineFD, target + ".reason", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
            if reasonFD >= 0 {
                _ = Self.writeAll(fd: reasonFD, bytes: Array((reason + "\n").utf8))
                _ = fsync(reasonFD)
                close(reasonFD)
            }
            guard fsync(quarantineFD) == 0 else {
                throw StoreError.io(Self.errnoMessage("fsync", subpath(Self.quarantineDirectoryName)))
            }
            try syncDirectoryNow()
            return Self.quarantineDirectoryName + "/" + target
        }
        logger.error(
            "quarantined a stored file",
            metadata: ["file": "\(subpath(name))", "movedTo": "\(subpath(destination))", "reason": "\(reason)"])
        return destination
    }

    // MARK: - Helpers (all run on I/O threads)

    private func quarantineReporting(name: String, reason: String) async -> LoadProblem {
        do {
            let destination = try await quarantine(name: name, reason: reason)
            return LoadProblem(name: name, reason: reason, quarantinedAs: destination)
        } catch {
            logger.error(
                "cannot quarantine a stored file; it stays in place",
                metadata: ["file": "\(subpath(name))", "reason": "\(reason)", "error": "\(error)"])
            return LoadProblem(name: name, reason: reason + "; moving it failed: \(error)", quarantinedAs: nil)
        }
    }

    private func syncDirectoryNow() throws {
        guard fsync(directoryFD) == 0 else { throw StoreError.io(Self.errnoMessage("fsync", path)) }
        ownSyncCount.withLock { $0 += 1 }
    }

    private func readFile(_ name: String) throws -> [UInt8]? {
        let fd = openat(directoryFD, name, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw StoreError.io(Self.errnoMessage("open", subpath(name)))
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw StoreError.io(Self.errnoMessage("stat", subpath(name))) }
        var result: [UInt8] = []
        result.reserveCapacity(Int(info.st_size))
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw StoreError.io(Self.errnoMessage("read", subpath(name)))
            }
            if count == 0 { break }
            result.append(contentsOf: chunk[0..<count])
        }
        return result
    }

    private func subpath(_ name: String) -> String { path + "/" + name }

    /// Writes every byte, retrying short writes and EINTR; returns an error message or nil.
    private static func writeAll(fd: Int32, bytes: [UInt8]) -> String? {
        bytes.withUnsafeBytes { buffer -> String? in
            var offset = 0
            while offset < buffer.count {
                let written = systemWrite(fd, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return String(cString: strerror(errno))
                }
                offset += written
            }
            return nil
        }
    }

    private static func checkName(_ name: String) throws {
        guard !name.isEmpty, !name.contains("/"), name != ".", name != ".." else {
            throw StoreError.io("refusing file name \"\(name)\"")
        }
    }

    private static func errnoMessage(_ operation: String, _ path: String) -> String {
        "\(operation) \(path): \(String(cString: strerror(errno)))"
    }
}

// File-scope wrappers: inside `DurableDirectory`, `read`/`write` would resolve to its own methods.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(fd, buffer, count)
}

private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    write(fd, buffer, count)
}
