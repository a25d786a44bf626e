/// Errors of this module, typed so the HTTP layer can map them to status codes.
public enum ContainerLogError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The container's log file does not exist (HTTP 404, or 400 when the container has not started).
    case logFileNotFound(path: String)
    /// The request's options are invalid (HTTP 400).
    case invalidOptions(String)
    /// A system call failed on a log file or directory.
    case io(operation: String, path: String, errno: Int32)
    /// A compressed rotated log could not be read or written.
    case compression(path: String, message: String)
    /// The rotation policy is invalid (`maxFiles` must be at least 2, `maxSize` positive).
    case invalidPolicy(String)
    /// `ReopenContainerLog` failed; the rotated file was renamed back to the live path.
    case reopenFailed(containerID: String, message: String)

    public var description: String {
        switch self {
        case .logFileNotFound(let path):
            "container log file \(path) does not exist"
        case .invalidOptions(let message):
            "invalid log options: \(message)"
        case .io(let operation, let path, let code):
            "\(operation) \(path): \(SystemErrorText.describe(code))"
        case .compression(let path, let message):
            "compressed log \(path): \(message)"
        case .invalidPolicy(let message):
            "invalid container log rotation policy: \(message)"
        case .reopenFailed(let containerID, let message):
            "reopening the log of container \(containerID) failed: \(message)"
        }
    }
}
