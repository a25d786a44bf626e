import CSystemSupport
import Glibc

/// A file, directory or symbolic link held by an `O_PATH` descriptor: its status and the changes made through it
/// apply to the inode that was found, even if its name is replaced meanwhile (by a symbolic link to a host file,
/// say, inside a volume a container can write to).
public final class PinnedFile {
    private let fd: Int32
    /// The pinned inode's status (`fstat`).
    public let info: stat

    /// Pins `name` in the directory open as `directory` (`AT_FDCWD` for a path), not following a final symbolic
    /// link; nil when it does not exist (any more).
    public init?(in directory: Int32, name: UnsafePointer<CChar>) {
        let fd = swiftlet_open_inode(directory, name)
        guard fd >= 0 else { return nil }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            Glibc.close(fd)
            return nil
        }
        self.fd = fd
        self.info = info
    }

    deinit { Glibc.close(fd) }

    /// True for a symbolic link (which `changeGroup` and `changeMode` must not be used on).
    public var isSymbolicLink: Bool { info.st_mode & S_IFMT == S_IFLNK }

    /// Gives the inode to group `gid`, its owner unchanged; errno on failure.
    public func changeGroup(to gid: gid_t) -> Int32? {
        swiftlet_fchown_inode_group(fd, gid) == 0 ? nil : errno
    }

    /// Sets the inode's permission bits; errno on failure. Through /proc/self/fd, the one way to chmod an `O_PATH`
    /// descriptor: the kernel resolves that link to the pinned inode, not to a name.
    public func changeMode(to mode: mode_t) -> Int32? {
        chmod("/proc/self/fd/\(fd)", mode) == 0 ? nil : errno
    }
}
