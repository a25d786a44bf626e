import Glibc

/// Disk space and inodes used under a directory, as `du` (and cAdvisor's directory usage) counts them: allocated
/// blocks, a file with several hard links once, symbolic links not followed.
public enum DiskUsage {
    /// What a measurement found.
    public struct Figures: Sendable, Equatable {
        /// Allocated bytes (`st_blocks` × 512), the root included.
        public var bytes: UInt64
        /// Inodes, the root included.
        public var inodes: UInt64
        /// False when the walk stopped at its entry limit: the figures are then a lower bound.
        public var complete: Bool
    }

    /// Measures the tree at `root`; nil when `root` does not exist. `sameFilesystem` leaves out what is mounted
    /// below it (a tmpfs emptyDir is measured by its own statvfs); `limit` bounds the entries walked, so a volume
    /// holding millions of files cannot stall its caller.
    public static func measure(_ root: String, sameFilesystem: Bool = false, limit: Int = .max) -> Figures? {
        var rootInfo = stat()
        guard lstat(root, &rootInfo) == 0 else { return nil }
        var figures = Figures(bytes: 0, inodes: 0, complete: true)
        var seen = Set<UInt64>()
        func add(_ info: stat) {
            if info.st_nlink > 1, (info.st_mode & S_IFMT) != S_IFDIR {
                guard seen.insert(UInt64(info.st_ino)).inserted else { return }
            }
            figures.inodes += 1
            figures.bytes += UInt64(max(0, info.st_blocks)) * 512
        }
        add(rootInfo)
        struct LimitReached: Error {}
        var walked = 0
        do {
            try DirectoryWalk.forEachEntry(under: root, within: sameFilesystem ? rootInfo.st_dev : nil) { entry in
                guard walked < limit else { throw LimitReached() }
                walked += 1
                add(entry.info)
            }
        } catch {
            figures.complete = false
        }
        return figures
    }
}
