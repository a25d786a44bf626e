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
    /// Applies `fsGroup` under `root`. Symbolic links are not followed (lchown), so a volume cannot be used to
    /// take over files outside it.
    static func apply(fsGroup: Int64, policy: String?, root: String) throws {
        let gid = gid_t(truncatingIfNeeded: fsGroup)
        var info = stat()
        guard lstat(root, &info) == 0 else {
            throw VolumeError(message: "setting fsGroup \(fsGroup) on \(root): \(String(cString: strerror(errno)))")
        }
        if policy == "OnRootMismatch", info.st_gid == gid, info.st_mode & S_ISGID != 0 { return }
        try own(root, gid: gid)
        try DirectoryWalk.forEachEntry(under: root) { try own($0, gid: gid) }
    }

    private static func own(_ path: String, gid: gid_t) throws {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }  // removed during the walk
        let kind = info.st_mode & S_IFMT
        if kind == S_IFLNK { return }
        guard lchown(path, uid_t.max, gid) == 0 else {
            throw VolumeError(message: "setting fsGroup on \(path): \(String(cString: strerror(errno)))")
        }
        var mode = info.st_mode & 0o7777
        mode |= 0o060
        if mode & 0o100 != 0 || kind == S_IFDIR { mode |= 0o010 }
        if kind == S_IFDIR { mode |= S_ISGID }
        if mode != info.st_mode & 0o7777 { chmod(path, mode) }
    }
}
