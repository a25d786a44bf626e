import FoundationEssentials
import KubeTypes
import SystemSupport

#if canImport(Glibc)
    import Glibc
#endif

/// Gives a pod's writable volumes to its `fsGroup`, as kubelet's volume ownership management does: every file and
/// directory gets the group, group read/write (and execute where the owner has it), and directories get the setgid
/// bit so that new files inherit the group. With `fsGroupChangePolicy: OnRootMismatch` the walk is skipped when
/// the volume's root already has the group and the setgid bit.
enum VolumeOwnership {
    /// Applies `fsGroup` under `root`. Nothing is changed through a symbolic link, and every change goes to the
    /// inode the walk found (pinned by `PinnedFile`), so a container that swaps a name in its volume for a link
    /// cannot turn the walk onto files outside it.
    static func apply(fsGroup: Int64, policy: String?, root: String) throws {
        let gid = gid_t(truncatingIfNeeded: fsGroup)
        guard let rootFile = PinnedFile(in: AT_FDCWD, name: root) else {
            throw VolumeError(message: "setting fsGroup \(fsGroup) on \(root): \(String(cString: strerror(errno)))")
        }
        let info = rootFile.info
        if policy == "OnRootMismatch", info.st_gid == gid, info.st_mode & S_ISGID != 0 { return }
        try own(rootFile, path: root, gid: gid)
        try DirectoryWalk.forEachEntry(under: root) { entry in
            guard entry.info.st_mode & S_IFMT != S_IFLNK,
                  let file = PinnedFile(in: entry.directory, name: entry.name)  // nil: removed during the walk
            else { return }
            try own(file, path: entry.path, gid: gid)
        }
    }

    private static func own(_ file: PinnedFile, path: String, gid: gid_t) throws {
        if file.isSymbolicLink { return }
        if let code = file.changeGroup(to: gid) {
            throw VolumeError(message: "setting fsGroup on \(path): \(String(cString: strerror(code)))")
        }
        let kind = file.info.st_mode & S_IFMT
        var mode = file.info.st_mode & 0o7777
        mode |= 0o060
        if mode & 0o100 != 0 || kind == S_IFDIR { mode |= 0o010 }
        if kind == S_IFDIR { mode |= S_ISGID }
        if mode != file.info.st_mode & 0o7777 { _ = file.changeMode(to: mode) }
    }
}
