/// What a log request asks for: kubelet's `PodLogOptions` after the HTTP layer has parsed and validated them.
public struct LogReadOptions: Sendable, Hashable {
    /// Only the last N logical lines (after the `since` and `stream` filters); nil means all. 0 means none (with
    /// `follow`, only new lines).
    public var tailLines: Int?
    /// Only lines with a timestamp at or after this point. The caller turns `sinceSeconds` into a point
    /// (`LogTimestamp.now().adding(seconds: -n)`) and keeps the later of the two when both are given, as kubelet.
    public var since: LogTimestamp?
    /// Stop after this many output bytes (timestamp prefixes included), cutting mid-line as kubelet does.
    public var limitBytes: Int?
    /// Prefix each line with its time in `RFC3339NanoFixed` form and a space, as `kubectl logs --timestamps`.
    public var timestamps: Bool
    /// Which streams to return.
    public var stream: LogStreamFilter
    /// Keep streaming new lines until the container terminates and the file is drained, or the consumer stops.
    public var follow: Bool

    /// Options; the defaults return the whole log once, both streams, no prefix.
    public init(tailLines: Int? = nil, since: LogTimestamp? = nil, limitBytes: Int? = nil, timestamps: Bool = false,
                stream: LogStreamFilter = .all, follow: Bool = false) {
        self.tailLines = tailLines
        self.since = since
        self.limitBytes = limitBytes
        self.timestamps = timestamps
        self.stream = stream
        self.follow = follow
    }

    /// Throws `ContainerLogError.invalidOptions` for negative `tailLines` or non-positive `limitBytes` (the API
    /// server rejects those too, so reaching here is a caller bug worth a 400, not a crash).
    public func validate() throws(ContainerLogError) {
        if let tailLines, tailLines < 0 {
            throw .invalidOptions("tailLines must be greater than or equal to 0, got \(tailLines)")
        }
        if let limitBytes, limitBytes < 1 {
            throw .invalidOptions("limitBytes must be greater than 0, got \(limitBytes)")
        }
    }
}
