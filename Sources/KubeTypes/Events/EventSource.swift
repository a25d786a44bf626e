/// The component that reported an event (`v1.EventSource`).
public struct EventSource: Codable, Sendable, Equatable {
    /// Component name, e.g. `swiftlet`.
    public var component: String?
    /// Node name the event came from.
    public var host: String?

    /// Creates a `EventSource`; every optional field defaults to absent.
    public init(component: String? = nil, host: String? = nil) {
        self.component = component
        self.host = host
    }

    enum CodingKeys: String, CodingKey {
        case component
        case host
    }
}
