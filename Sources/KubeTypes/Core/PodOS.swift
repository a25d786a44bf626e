/// The operating system a pod requires.
public struct PodOS: Codable, Sendable, Equatable {
    /// `linux` or `windows`.
    public var name: String

    /// Creates a `PodOS`; every optional field defaults to absent.
    public init(name: String = "") {
        self.name = name
    }

    enum CodingKeys: String, CodingKey {
        case name
    }
}

extension PodOS {
    /// Decodes the Kubernetes JSON form; a required field that is absent takes its zero value, so that
    /// validation (not the decoder) reports it the way the API server does.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.name = try c.decodeIfPresent(String.self, forKey: .name) ?? ""
    }
}
