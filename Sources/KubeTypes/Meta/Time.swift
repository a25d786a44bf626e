import FoundationEssentials

/// A Kubernetes timestamp (`metav1.Time`): whole seconds, serialised as RFC 3339 in UTC, e.g.
/// `2024-05-01T12:00:00Z`.
///
/// Parsing accepts fractional seconds and numeric offsets, as Go's `time.RFC3339` parser does; the fraction is
/// dropped, because the API server stores `metav1.Time` at second precision.
public struct Time: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Seconds since 1970-01-01T00:00:00Z.
    public var secondsSinceEpoch: Int64

    /// A time from seconds since the Unix epoch.
    public init(secondsSinceEpoch: Int64) {
        self.secondsSinceEpoch = secondsSinceEpoch
    }

    /// A time from a `Date`, truncated to the second below (as Go's `Truncate(time.Second)` does).
    public init(_ date: Date) {
        self.secondsSinceEpoch = Int64(date.timeIntervalSince1970.rounded(.down))
    }

    /// Parses an RFC 3339 timestamp; nil when it is not one.
    public init?(rfc3339 text: String) {
        guard let instant = RFC3339.parse(text) else { return nil }
        self.secondsSinceEpoch = instant.seconds
    }

    /// The current time, truncated to the second.
    public static func now() -> Time {
        Time(Date())
    }

    /// The same instant as a `Date`.
    public var date: Date {
        Date(timeIntervalSince1970: TimeInterval(secondsSinceEpoch))
    }

    /// `2006-01-02T15:04:05Z`.
    public var rfc3339: String {
        RFC3339.format(seconds: secondsSinceEpoch, nanoseconds: 0, fractionDigits: 0)
    }

    /// The RFC 3339 form.
    public var description: String { rfc3339 }

    /// This time moved by `seconds` (negative moves back).
    public func adding(seconds: Int64) -> Time {
        Time(secondsSinceEpoch: secondsSinceEpoch + seconds)
    }

    public static func < (lhs: Time, rhs: Time) -> Bool {
        lhs.secondsSinceEpoch < rhs.secondsSinceEpoch
    }

    /// Decodes an RFC 3339 string.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let instant = RFC3339.parse(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "invalid RFC 3339 timestamp \"\(text)\"")
        }
        self.secondsSinceEpoch = instant.seconds
    }

    /// Encodes the RFC 3339 string in UTC.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rfc3339)
    }
}
