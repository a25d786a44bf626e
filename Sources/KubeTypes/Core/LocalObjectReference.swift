/// A reference to an object in the same namespace, by name.
public struct LocalObjectReference: Codable, Sendable, Equatable {
    /// Name of the referent.
    public var name: String?

    /// Creates a `LocalObjectReference`; every optional field defaults to absent.
    public init(name: String? = nil) {
        self.name = name
    }

    enum CodingKeys: String, CodingKey {
        case name
    }
}
