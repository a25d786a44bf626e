/// A file or directory of the host.
public struct HostPathVolumeSource: Codable, Sendable, Equatable {
    /// Absolute path on the host.
    public var path: String
    /// `""`, `DirectoryOrCreate`, `Directory`, `FileOrCreate`, `File`, `Socket`, `CharDevice`, `BlockDevice`.
    public var type: String?

    /// Creates a `HostPathVolumeSource`; every optional field defaults to absent.
    public init(path: String = "", type: String? = nil) {
        self.path = path
        self.type = type
    }

    enum CodingKeys: String, CodingKey {
        case path
        case type
    }
}

extension HostPathVolumeSource {
    /// Decodes the Kubernetes JSON form; a required field that is absent takes its zero value, so that
    /// validation (not the decoder) reports it the way the API server does.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.path = try c.decodeIfPresent(String.self, forKey: .path) ?? ""
        self.type = try c.decodeIfPresent(String.self, forKey: .type)
    }
}
