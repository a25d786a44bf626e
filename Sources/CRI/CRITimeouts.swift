/// Deadlines for CRI calls, grouped by what the call does.
///
/// Why groups: every call needs a deadline (a hung runtime must not hang the agent), but a deadline much longer
/// than the call lets a hung call hold its caller that much longer, and a pull or a graceful stop legitimately
/// takes far longer than a list. Each deadline also goes to the runtime as `grpc-timeout`.
public struct CRITimeouts: Sendable, Hashable {
    /// Cheap reads: `Version`, `Status`, lists, statuses, stats, `ImageStatus`, `ImageFsInfo`.
    public var read: Duration
    /// State changes that do not wait on workloads: create, start, remove, stop of a sandbox, log reopen,
    /// resource updates, exec/attach/port-forward URL requests.
    public var write: Duration
    /// `RunPodSandbox`: creates the network namespace and runs CNI, which can take several seconds.
    public var runPodSandbox: Duration
    /// `PullImage`: network bound.
    public var pull: Duration
    /// Added to the grace period of `StopContainer` and to the timeout of `ExecSync`, to cover the runtime's
    /// own work (SIGKILL after the grace period, reaping, bookkeeping).
    public var margin: Duration
    /// Deadline of an `ExecSync` called without a timeout (the runtime then imposes none).
    public var execSyncWithoutTimeout: Duration

    /// Creates a set of timeouts. The defaults suit containerd on a local socket.
    public init(
        read: Duration = .seconds(10),
        write: Duration = .seconds(30),
        runPodSandbox: Duration = .seconds(60),
        pull: Duration = .seconds(600),
        margin: Duration = .seconds(15),
        execSyncWithoutTimeout: Duration = .seconds(300)
    ) {
        self.read = read
        self.write = write
        self.runPodSandbox = runPodSandbox
        self.pull = pull
        self.margin = margin
        self.execSyncWithoutTimeout = execSyncWithoutTimeout
    }
}
