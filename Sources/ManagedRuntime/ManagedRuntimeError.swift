
/// An error of the managed containerd: configuration that cannot work, a start that failed, or a runtime that did
/// not become ready. The message says what happened and, where one exists, what to do about it.
public struct ManagedRuntimeError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is, so callers can react without parsing the message.
    public enum Kind: String, Sendable, Hashable {
        /// A configuration value is invalid (pod CIDR, registry name, a path that is too long for a socket).
        case invalidConfiguration
        /// Writing the config, the CNI conflist, the registry hosts or the pid file failed.
        case setupFailed
        /// containerd could not be spawned.
        case spawnFailed
        /// containerd did not report `RuntimeReady` and `NetworkReady` in time.
        case notReady
        /// The operation needs a running supervisor (`start()` first, and not after `stop()`).
        case notRunning
    }

    /// The kind of failure.
    public var kind: Kind
    /// The full, human-readable message.
    public var message: String

    /// Creates an error.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
