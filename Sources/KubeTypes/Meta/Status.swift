/// The result of an API call that does not return an object, typically an error (`metav1.Status`).
///
/// Build errors with the factory functions (`Status.notFound(resource:name:)`, `Status.invalid(kind:name:errors:)`,
/// ...): their messages, reasons and codes are worded exactly as apimachinery's `errors` package words them, so that
/// clients that match on them (kubectl, client-go) behave as against a real API server.
public struct Status: Codable, Sendable, Equatable, Error {
    /// Always `Status`.
    public var kind: String?
    /// Always `v1`.
    public var apiVersion: String?
    /// List metadata; always empty for errors, but present on the wire as `{}`.
    public var metadata: ListMeta
    /// `Success` or `Failure`.
    public var status: String?
    /// Human-readable description.
    public var message: String?
    /// Machine-readable reason, e.g. `NotFound`, `AlreadyExists`, `Invalid`.
    public var reason: String?
    /// Extra data, such as the name of the object and the field causes.
    public var details: StatusDetails?
    /// The HTTP status code.
    public var code: Int32?

    /// A status with every field given.
    public init(
        kind: String? = "Status",
        apiVersion: String? = "v1",
        metadata: ListMeta = ListMeta(),
        status: String? = nil,
        message: String? = nil,
        reason: String? = nil,
        details: StatusDetails? = nil,
        code: Int32? = nil
    ) {
        self.kind = kind
        self.apiVersion = apiVersion
        self.metadata = metadata
        self.status = status
        self.message = message
        self.reason = reason
        self.details = details
        self.code = code
    }

    enum CodingKeys: String, CodingKey {
        case kind, apiVersion, metadata, status, message, reason, details, code
    }

    /// Decodes a status; a missing `metadata` is taken as empty.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        kind = try c.decodeIfPresent(String.self, forKey: .kind)
        apiVersion = try c.decodeIfPresent(String.self, forKey: .apiVersion)
        metadata = try c.decodeIfPresent(ListMeta.self, forKey: .metadata) ?? ListMeta()
        status = try c.decodeIfPresent(String.self, forKey: .status)
        message = try c.decodeIfPresent(String.self, forKey: .message)
        reason = try c.decodeIfPresent(String.self, forKey: .reason)
        details = try c.decodeIfPresent(StatusDetails.self, forKey: .details)
        code = try c.decodeIfPresent(Int32.self, forKey: .code)
    }

    /// `Success`, for responses such as a completed delete of a collection.
    public static func success(message: String? = nil) -> Status {
        Status(status: "Success", message: message, code: 200)
    }

    /// A failure with the given HTTP code, reason, message and optional details.
    public static func failure(code: Int32, reason: String, message: String, details: StatusDetails? = nil) -> Status {
        Status(status: "Failure", message: message, reason: reason, details: details, code: code)
    }
}
