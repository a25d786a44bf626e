/// Data about a series of repeated events (`v1.EventSeries`).
public struct EventSeries: Codable, Sendable, Equatable {
    /// Number of occurrences in the series.
    public var count: Int32?
    /// Time of the last occurrence.
    public var lastObservedTime: MicroTime?

    /// Creates a `EventSeries`; every optional field defaults to absent.
    public init(count: Int32? = nil, lastObservedTime: MicroTime? = nil) {
        self.count = count
        self.lastObservedTime = lastObservedTime
    }

    enum CodingKeys: String, CodingKey {
        case count
        case lastObservedTime
    }
}
