/// A raw block volume exposed to a container.
public struct VolumeDevice: Codable, Sendable, Equatable {
    /// Name of a persistentVolumeClaim volume of the pod.
    public var name: String
    /// Path of the device in the container.
    public var devicePath: String

    /// Creates a `VolumeDevice`; every optional field defaults to absent.
    public init(name: String = "", devicePath: String = "") {
        self.name = name
        self.devicePath = devicePath
    }

    enum CodingKeys: String, CodingKey {
        case name
        case devicePath
    }
}

extension VolumeDevice {
    /// Decodes the Kubernetes JSON form; a required field that is absent takes its zero value, so that
    /// validation (not the decoder) reports it the way the API server does.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.name = try c.decodeIfPresent(String.self, forKey: .name) ?? ""
        self.devicePath = try c.decodeIfPresent(String.self, forKey: .devicePath) ?? ""
    }
}
