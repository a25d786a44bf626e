/// A pause, as a lifecycle hook.
public struct SleepAction: Codable, Sendable, Equatable {
    /// Seconds to sleep.
    public var seconds: Int64

    /// Creates a `SleepAction`; every optional field defaults to absent.
    public init(seconds: Int64 = 0) {
        self.seconds = seconds
    }

    enum CodingKeys: String, CodingKey {
        case seconds
    }
}

extension SleepAction {
    /// Decodes the Kubernetes JSON form; a required field that is absent takes its zero value, so that
    /// validation (not the decoder) reports it the way the API server does.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.seconds = try c.decodeIfPresent(Int64.self, forKey: .seconds) ?? 0
    }
}
