import Glibc

/// Every entry of a directory tree, which Foundation proper's `FileManager.enumerator(atPath:)` gave and
/// FoundationEssentials does not; walked through directory descriptors, for trees a container can change while
/// the agent walks them (a volume).
public enum DirectoryWalk {
    /// One entry, as the walk found it.
    public struct Entry {
        /// The directory the entry is in, open only for the duration of the visit.
        public let directory: Int32
        /// The entry's name as the kernel stores it (not necessarily UTF-8), NUL-terminated.
        public let name: [CChar]
        /// The entry's status (`fstatat`, a symbolic link not followed).
        public let info: stat
        /// `root/relative`, for messages only: a name that is not UTF-8 shows replacement characters.
        public let path: String

        /// True for a directory (which the walk enters after the visit).
        public var isDirectory: Bool { info.st_mode & S_IFMT == S_IFDIR }
    }

    /// Calls `visit` with every file, directory and symbolic link below `root`, not `root` itself; a directory is
    /// visited before its contents. Symbolic links are visited but not followed, and directories that cannot be
    /// read are skipped, as with the enumerator. With `device`, directories on another filesystem (a mount below
    /// `root`) are visited but not entered.
    ///
    /// Why descriptors: each directory is opened from `root` one component at a time with `O_NOFOLLOW`, so a
    /// directory replaced by a symbolic link during the walk ends that branch instead of leading the walk (and what
    /// a visitor changes) outside the tree, and names that are not UTF-8 are kept byte for byte. Pending directories
    /// are a list rather than a recursion, and at most two descriptors are open at a time.
    public static func forEachEntry(
        under root: String, within device: dev_t? = nil, _ visit: (Entry) throws -> Void
    ) rethrows {
        let rootFD = open(root, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard rootFD >= 0 else { return }
        defer { Glibc.close(rootFD) }
        var pending: [[[CChar]]] = [[]]
        while let components = pending.popLast() {
            guard let fd = openDirectory(components, under: rootFD) else { continue }
            guard let stream = fdopendir(fd) else {
                Glibc.close(fd)
                continue
            }
            defer { closedir(stream) }
            let base = components.reduce(root) { $0 + "/" + text($1) }
            while let entry = readdir(stream) {
                var name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    raw.prefix(while: { $0 != 0 }).map { CChar(bitPattern: $0) }
                }
                if name == [46] || name == [46, 46] { continue }  // "." and ".."
                name.append(0)
                var info = stat()
                guard fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { continue }  // removed meanwhile
                let found = Entry(directory: fd, name: name, info: info, path: base + "/" + text(name))
                try visit(found)
                if found.isDirectory, device.map({ $0 == info.st_dev }) ?? true {
                    pending.append(components + [Array(name.dropLast())])
                }
            }
        }
    }

    /// The names in `directory` other than `.` and `..`, in no particular order; nil when it cannot be opened, with
    /// `errno` saying why.
    public static func names(in directory: String) -> [String]? {
        guard let dir = opendir(directory) else { return nil }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Opens `root/components…` one component at a time, following no symbolic link; nil when any is gone or is
    /// no longer a directory.
    private static func openDirectory(_ components: [[CChar]], under rootFD: Int32) -> Int32? {
        var current = openat(rootFD, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        for component in components where current >= 0 {
            let next = openat(current, component + [0], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            Glibc.close(current)
            current = next
        }
        return current >= 0 ? current : nil
    }

    private static func text(_ name: [CChar]) -> String {
        String(decoding: name.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
