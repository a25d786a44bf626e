/// Where one managed containerd keeps everything, all under `<rootDirectory>/containerd/`.
///
/// Every instance has its own root, state, sockets, runc root and opt dir, so two instances (a developer's and a
/// test run's) never share anything.
public struct ContainerdPaths: Sendable, Hashable {
    /// `<rootDirectory>/containerd`.
    public let base: String

    /// Creates the layout under `rootDirectory` (absolute; a trailing slash is ignored).
    public init(rootDirectory: String) {
        var root = rootDirectory
        while root.count > 1 && root.hasSuffix("/") { root.removeLast() }
        self.base = root == "/" ? "/containerd" : root + "/containerd"
    }

    /// The generated containerd configuration (rewritten on every start).
    public var configFile: String { base + "/config.toml" }
    /// containerd's stdout and stderr, appended across restarts.
    public var logFile: String { base + "/containerd.log" }
    /// The pid of the running containerd, so a leftover from a crashed run can be found and stopped.
    public var pidFile: String { base + "/containerd.pid" }
    /// The CRI (and containerd API) gRPC socket.
    public var socket: String { base + "/containerd.sock" }
    /// containerd's ttrpc socket (shims talk back on it).
    public var ttrpcSocket: String { base + "/containerd.sock.ttrpc" }
    /// containerd's persistent root (content store, snapshots, metadata).
    public var root: String { base + "/root" }
    /// containerd's state dir (task bundles, sandbox files, network namespace mounts).
    public var state: String { base + "/state" }
    /// runc's state root for this instance's containers.
    public var runcRoot: String { base + "/runc" }
    /// The `io.containerd.internal.v1.opt` plugin's dir.
    public var optDirectory: String { base + "/opt" }
    /// The CNI conf dir containerd reads.
    public var cniConfDirectory: String { base + "/cni/net.d" }
    /// host-local IPAM's allocations; under the state dir because allocations die with the pods.
    public var cniIPAMDirectory: String { state + "/cni-ipam" }
    /// The registry hosts dir (`certs.d` layout) generated from the registry flags.
    public var registryHostsDirectory: String { base + "/certs.d" }

    /// The CRI endpoint in kubelet form, `unix://<socket>`.
    public var endpoint: String { "unix://" + socket }

    /// The longest path a unix socket may have on Linux (`sun_path` is 108 bytes including the NUL).
    public static let maximumSocketPathLength = 107

    /// Throws when a socket path would not fit in `sun_path`; containerd would otherwise fail with a cryptic bind
    /// error.
    public func validateSocketPaths() throws {
        for path in [socket, ttrpcSocket] where path.utf8.count > Self.maximumSocketPathLength {
            throw ManagedRuntimeError(
                .invalidConfiguration,
                "the socket path \(path) is \(path.utf8.count) bytes; unix sockets allow at most "
                    + "\(Self.maximumSocketPathLength): choose a shorter root directory")
        }
    }
}
