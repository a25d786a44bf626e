import SystemSupport

/// The unix domain socket a CRI runtime listens on, parsed from a kubelet-style endpoint string.
///
/// Accepted forms are `unix:///abs/path.sock` and a bare absolute path `/abs/path.sock`. Anything else
/// (TCP, relative paths, other schemes) is refused, because Swiftlet only talks to a local runtime.
public struct CRIEndpoint: Sendable, Hashable, CustomStringConvertible {
    /// The absolute filesystem path of the socket.
    public let socketPath: String

    /// Parses an endpoint string.
    /// - Throws: `CRIError` with code `.invalidArgument` when the string is not a unix socket endpoint.
    public init(parsing endpoint: String) throws {
        let trimmed = endpoint.trimmingWhitespaceAndNewlines()
        let path: Substring
        if trimmed.hasPrefix("unix://") {
            path = trimmed.dropFirst("unix://".count)
        } else if trimmed.hasPrefix("/") {
            path = Substring(trimmed)
        } else {
            throw CRIError(
                code: .invalidArgument,
                message: "container runtime endpoint \"\(endpoint)\" is not a unix socket; "
                    + "use unix:///path/to/socket or an absolute path",
                method: "endpoint")
        }
        // "unix://relative" would leave a relative path: the socket location would depend on the working directory.
        guard path.hasPrefix("/"), path.count > 1 else {
            throw CRIError(
                code: .invalidArgument,
                message: "container runtime endpoint \"\(endpoint)\" must name an absolute socket path",
                method: "endpoint")
        }
        self.socketPath = String(path)
    }

    /// The endpoint in canonical `unix://` form.
    public var description: String { "unix://\(socketPath)" }
}
