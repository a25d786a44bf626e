/// One cause of an error, usually a field problem (`metav1.StatusCause`).
public struct StatusCause: Codable, Sendable, Equatable {
    /// Machine-readable cause such as `FieldValueRequired`.
    public var reason: String?
    /// Human-readable description of the cause.
    public var message: String?
    /// Path of the offending field, e.g. `spec.containers[0].image`.
    public var field: String?

    /// Creates a `StatusCause`; every optional field defaults to absent.
    public init(
        reason: String? = nil,
        message: String? = nil,
        field: String? = nil
    ) {
        self.reason = reason
        self.message = message
        self.field = field
    }

    enum CodingKeys: String, CodingKey {
        case reason
        case message
        case field
    }
}
