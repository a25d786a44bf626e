import ContainerLogs
import EventHTTP
import KubeTypes
import NodeAgent

/// The query of a log request (kubelet's `PodLogOptions` plus `stream`), parsed and validated.
struct LogQuery {
    /// What to read.
    var options: LogReadOptions
    /// The last terminated instance instead of the current one.
    var previous: Bool

    /// Parses `follow`, `tailLines`, `timestamps`, `sinceSeconds`, `sinceTime`, `limitBytes`, `previous` and
    /// `stream`; `now` anchors `sinceSeconds`.
    init(_ query: QueryParameters, now: LogTimestamp = .now()) throws {
        let values = QueryValues(query: query)
        var options = LogReadOptions()
        options.follow = try values.bool("follow") ?? false
        options.timestamps = try values.bool("timestamps") ?? false
        options.tailLines = try values.integer("tailLines", minimum: 0)
        options.limitBytes = try values.integer("limitBytes", minimum: 1)
        let sinceSeconds = try values.integer("sinceSeconds", minimum: 1)
        let sinceTime = try query["sinceTime"].map { text in
            guard let time = LogTimestamp(rfc3339: text) else {
                throw values.invalid("sinceTime", text, "must be an RFC 3339 time such as 2006-01-02T15:04:05Z")
            }
            return time
        }
        if sinceSeconds != nil && sinceTime != nil {
            // The API server's validation: the two are alternatives.
            throw APIStatusError(.badRequest("at most one of sinceTime or sinceSeconds may be specified"))
        }
        if let sinceSeconds { options.since = now.adding(seconds: -Int64(sinceSeconds)) }
        if let sinceTime { options.since = sinceTime }
        if let stream = query["stream"] {
            switch stream.lowercased() {
            case "stdout": options.stream = .stdout
            case "stderr": options.stream = .stderr
            case "all", "": options.stream = .all
            default: throw values.invalid("stream", stream, "must be Stdout, Stderr or All")
            }
        }
        self.options = options
        self.previous = try values.bool("previous") ?? false
    }
}
