/// The container output stream a CRI log line came from.
public enum LogStream: String, Sendable, Hashable, CaseIterable {
    /// The container's standard output.
    case stdout
    /// The container's standard error.
    case stderr
}

/// Which streams a log request wants (the pod log `stream` option: `Stdout`, `Stderr` or `All`).
public enum LogStreamFilter: Sendable, Hashable {
    /// Only standard output.
    case stdout
    /// Only standard error.
    case stderr
    /// Both, interleaved in file order (kubelet's only behaviour).
    case all

    /// Whether lines of `stream` pass this filter.
    @inlinable
    public func includes(_ stream: LogStream) -> Bool {
        switch self {
        case .all: true
        case .stdout: stream == .stdout
        case .stderr: stream == .stderr
        }
    }
}
