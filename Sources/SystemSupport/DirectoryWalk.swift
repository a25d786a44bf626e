import Glibc

/// Every entry of a directory tree, which Foundation proper's `FileManager.enumerator(atPath:)` gave and
/// FoundationEssentials does not.
public enum DirectoryWalk {
    /// Calls `visit` with the path (`root/relative`) of every file, directory and symbolic link below `root`, not
    /// `root` itself; a directory is visited before its contents. Symbolic links are visited but not followed, and
    /// directories that cannot be read are skipped, as with the enumerator. Pending directories are a list rather
    /// than a recursion, so a deep tree cannot exhaust the stack, and one directory is open at a time.
    public static func forEachEntry(under root: String, _ visit: (String) throws -> Void) rethrows {
        var pending = [root]
        while let directory = pending.popLast() {
            for name in names(in: directory) ?? [] {
                let path = directory + "/" + name
                try visit(path)
                var info = stat()
                if lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR { pending.append(path) }
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
}
