import KubeTypes

/// A failure to report to an API client as a Kubernetes `Status`.
///
/// Node-side operations throw this so that the HTTP layer maps errors to codes in one place and the wording stays
/// the API server's (`pods "web" already exists`, `Pod "web" is invalid: [...]`).
public struct APIStatusError: Error, Sendable, CustomStringConvertible {
    /// The Status body, including its HTTP code.
    public var status: Status

    /// Wraps a Status.
    public init(_ status: Status) {
        self.status = status
    }

    /// The Status message.
    public var description: String { status.message ?? status.reason ?? "error" }
}
