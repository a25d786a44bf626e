/// A command run inside the container.
public struct ExecAction: Codable, Sendable, Equatable {
    /// Command line; not run in a shell.
    public var command: [String]?

    /// Creates a `ExecAction`; every optional field defaults to absent.
    public init(command: [String]? = nil) {
        self.command = command
    }

    enum CodingKeys: String, CodingKey {
        case command
    }
}
