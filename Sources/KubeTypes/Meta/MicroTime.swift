import FoundationEssentials

/// A Kubernetes timestamp with microseconds (`metav1.MicroTime`), serialised as
/// `2006-01-02T15:04:05.000000Z`; events use it for `eventTime`.
public struct MicroTime: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Microseconds since 1970-01-01T00:00:00Z.
    public var microsecondsSinceEpoch: Int64

    /// A time from microseconds since the Unix epoch.
    public init(microsecondsSinceEpoch: Int64) {
        self.microsecondsSinceEpoch = microsecondsSinceEpoch
    }

    /// A time from a `Date`, truncated to the microsecond below.
    public init(_ date: Date) {
        self.microsecondsSinceEpoch = Int64((date.timeIntervalSince1970 * 1_000_000).rounded(.down))
    }

    /// Parses an RFC 3339 timestamp (any fraction; digits past the microsecond are dropped); nil when invalid.
    public init?(rfc3339 text: String) {
        guard let instant = RFC3339.parse(text) else { return nil }
        self.microsecondsSinceEpoch = instant.seconds * 1_000_000 + instant.nanoseconds / 1000
    }

    /// The current time.
    public static func now() -> MicroTime {
        MicroTime(Date())
    }

    /// The same instant at second precision.
    public var time: Time {
        let seconds = microsecondsSinceEpoch >= 0
            ? microsecondsSinceEpoch / 1_000_000 : (microsecondsSinceEpoch - 999_999) / 1_000_000
        return Time(secondsSinceEpoch: seconds)
    }

    /// The same instant as a `Date`.
    public var date: Date {
        Date(timeIntervalSince1970: TimeInterval(microsecondsSinceEpoch) / 1_000_000)
    }

    /// `2006-01-02T15:04:05.000000Z`.
    public var rfc3339: String {
        let seconds = time.secondsSinceEpoch
        let micros = microsecondsSinceEpoch - seconds * 1_000_000
        return RFC3339.format(seconds: seconds, nanoseconds: micros * 1000, fractionDigits: 6)
    }

    /// The RFC 3339 form.
    public var description: String { rfc3339 }

    public static func < (lhs: MicroTime, rhs: MicroTime) -> Bool {
        lhs.microsecondsSinceEpoch < rhs.microsecondsSinceEpoch
    }

    /// Decodes an RFC 3339 string.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = MicroTime(rfc3339: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "invalid RFC 3339 timestamp \"\(text)\"")
        }
        self = value
    }

    /// Encodes the RFC 3339 string in UTC with six fraction digits.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rfc3339)
    }
}
