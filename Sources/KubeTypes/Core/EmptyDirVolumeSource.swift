/// A scratch directory that lives as long as the pod.
public struct EmptyDirVolumeSource: Codable, Sendable, Equatable {
    /// `""` (node disk), `Memory` (tmpfs) or `HugePages`.
    public var medium: String?
    /// Maximum size; the pod is evicted beyond it.
    public var sizeLimit: Quantity?
    /// Permission bits of the directory.
    public var mode: Int32?

    /// Creates a `EmptyDirVolumeSource`; every optional field defaults to absent.
    public init(
        medium: String? = nil,
        sizeLimit: Quantity? = nil,
        mode: Int32? = nil
    ) {
        self.medium = medium
        self.sizeLimit = sizeLimit
        self.mode = mode
    }

    enum CodingKeys: String, CodingKey {
        case medium
        case sizeLimit
        case mode
    }
}
