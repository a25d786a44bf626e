import Glibc

/// A point in time with nanosecond precision, as written at the start of every CRI log line.
///
/// Kept as integer seconds + nanoseconds since the Unix epoch (UTC) rather than `Date`, whose `Double` loses the
/// nanoseconds that order lines written in the same microsecond.
public struct LogTimestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Whole seconds since 1970-01-01T00:00:00Z.
    public var seconds: Int64
    /// Nanoseconds within the second, `0..<1_000_000_000`.
    public var nanoseconds: Int32

    /// A timestamp from seconds and nanoseconds since the epoch; nanoseconds outside `0..<1e9` are carried.
    public init(seconds: Int64, nanoseconds: Int32 = 0) {
        let carry = Int64(nanoseconds).floorDivided(by: 1_000_000_000)
        self.seconds = seconds + carry
        self.nanoseconds = Int32(Int64(nanoseconds) - carry * 1_000_000_000)
    }

    /// The current wall-clock time (CLOCK_REALTIME).
    public static func now() -> LogTimestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return LogTimestamp(seconds: Int64(spec.tv_sec), nanoseconds: Int32(spec.tv_nsec))
    }

    /// This timestamp moved by a number of seconds (negative to go back), e.g. `now().adding(seconds: -sinceSeconds)`.
    public func adding(seconds delta: Int64) -> LogTimestamp {
        LogTimestamp(seconds: seconds + delta, nanoseconds: nanoseconds)
    }

    /// Parses RFC 3339 with an optional fraction of 1–9 digits and `Z` or a `±hh:mm` offset (Go's
    /// `RFC3339NanoLenient`, which kubelet uses to read CRI logs). Returns nil when the text is not such a time.
    public init?(rfc3339 text: String) {
        var text = text
        guard let parsed = text.withUTF8({ LogTimestamp(parsing: $0) }) else { return nil }
        self = parsed
    }

    /// `2006-01-02T15:04:05.000000000Z`: Go's `RFC3339NanoFixed` in UTC, the prefix kubelet writes (and kubectl
    /// shows) for `timestamps=true`.
    public var rfc3339NanoFixed: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(30)
        appendRFC3339NanoFixed(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Same as `rfc3339NanoFixed`.
    public var description: String { rfc3339NanoFixed }

    public static func < (lhs: LogTimestamp, rhs: LogTimestamp) -> Bool {
        (lhs.seconds, lhs.nanoseconds) < (rhs.seconds, rhs.nanoseconds)
    }

    /// Appends the `RFC3339NanoFixed` UTC form without building a String (this runs once per output line).
    func appendRFC3339NanoFixed(to out: inout [UInt8]) {
        let days = seconds.floorDivided(by: 86_400)
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = CivilCalendar.date(fromDaysSinceEpoch: days)
        appendDigits(year, width: 4, to: &out)
        out.append(UInt8(ascii: "-"))
        appendDigits(Int64(month), width: 2, to: &out)
        out.append(UInt8(ascii: "-"))
        appendDigits(Int64(day), width: 2, to: &out)
        out.append(UInt8(ascii: "T"))
        appendDigits(secondOfDay / 3600, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        appendDigits(secondOfDay % 3600 / 60, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        appendDigits(secondOfDay % 60, width: 2, to: &out)
        out.append(UInt8(ascii: "."))
        appendDigits(Int64(nanoseconds), width: 9, to: &out)
        out.append(UInt8(ascii: "Z"))
    }

    /// Parses the lenient RFC 3339 form from raw bytes (the CRI line parser calls this without making a String).
    init?(parsing b: UnsafeBufferPointer<UInt8>) {
        var cache = TimestampCache()
        self.init(parsing: b, cache: &cache)
    }

    /// Same, reusing the date-and-time part of the previous line when its first 19 bytes are identical (lines of
    /// one second share them, and the calendar arithmetic was a quarter of the per-line cost).
    init?(parsing b: UnsafeBufferPointer<UInt8>, cache: inout TimestampCache) {
        // Minimum: "2006-01-02T15:04:05Z" (20 bytes).
        guard b.count >= 20 else { return nil }
        let local: Int64
        if let cached = cache.lookup(b) {
            local = cached
        } else {
            guard let parsed = Self.localSeconds(b) else { return nil }
            cache.store(b, parsed)
            local = parsed
        }
        var index = 19
        var nanos: Int64 = 0
        if b[index] == UInt8(ascii: ".") {
            index += 1
            var digits = 0
            while index < b.count, b[index] >= UInt8(ascii: "0"), b[index] <= UInt8(ascii: "9") {
                guard digits < 9 else { return nil }
                nanos = nanos * 10 + Int64(b[index] - UInt8(ascii: "0"))
                digits += 1
                index += 1
            }
            guard digits > 0 else { return nil }
            for _ in digits..<9 { nanos *= 10 }
        }
        guard index < b.count else { return nil }
        var offsetSeconds: Int64 = 0
        switch b[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            index += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard index + 6 <= b.count, b[index + 3] == UInt8(ascii: ":"),
                  let offsetHours = Self.number(b, index + 1, 2), let offsetMinutes = Self.number(b, index + 4, 2),
                  offsetHours < 24, offsetMinutes < 60
            else { return nil }
            offsetSeconds = offsetHours * 3600 + offsetMinutes * 60
            if b[index] == UInt8(ascii: "-") { offsetSeconds = -offsetSeconds }
            index += 6
        default:
            return nil
        }
        guard index == b.count else { return nil }
        self.init(seconds: local - offsetSeconds, nanoseconds: Int32(nanos))
    }

    /// Seconds since the epoch of `YYYY-MM-DDTHH:MM:SS` (the first 19 bytes) read as UTC, or nil if invalid.
    private static func localSeconds(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
              b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t"),
              b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"),
              let year = number(b, 0, 4), let month = number(b, 5, 2), let day = number(b, 8, 2),
              let hour = number(b, 11, 2), let minute = number(b, 14, 2), let second = number(b, 17, 2),
              (1...12).contains(month), day >= 1, day <= CivilCalendar.daysIn(month: month, year: year),
              hour < 24, minute < 60, second < 60
        else { return nil }
        let days = CivilCalendar.daysSinceEpoch(year: year, month: month, day: day)
        return days * 86_400 + hour * 3600 + minute * 60 + second
    }

    private static func number(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ width: Int) -> Int64? {
        var value: Int64 = 0
        for i in start..<(start + width) {
            let c = b[i]
            guard c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int64(c - UInt8(ascii: "0"))
        }
        return value
    }

    private func appendDigits(_ value: Int64, width: Int, to out: inout [UInt8]) {
        var divisor: Int64 = 1
        for _ in 1..<width { divisor *= 10 }
        var v = value
        while divisor > 0 {
            out.append(UInt8(ascii: "0") + UInt8(truncatingIfNeeded: (v / divisor) % 10))
            v %= divisor
            divisor /= 10
        }
    }
}

extension Int64 {
    /// Division rounding toward negative infinity (times before 1970 must map to the previous day, not the next).
    func floorDivided(by divisor: Int64) -> Int64 {
        let q = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? q - 1 : q
    }
}

/// The last `YYYY-MM-DDTHH:MM:SS` parsed and its value, compared as three unaligned integer loads.
struct TimestampCache {
    private var key: (UInt64, UInt64, UInt32) = (0, 0, 0)
    private var value: Int64?

    init() {}

    /// The cached value if `b` starts with the same 19 bytes (caller guarantees `b.count >= 20`).
    func lookup(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard let value else { return nil }
        let k = Self.key(b)
        return k.0 == key.0 && k.1 == key.1 && k.2 == key.2 ? value : nil
    }

    mutating func store(_ b: UnsafeBufferPointer<UInt8>, _ seconds: Int64) {
        key = Self.key(b)
        value = seconds
    }

    private static func key(_ b: UnsafeBufferPointer<UInt8>) -> (UInt64, UInt64, UInt32) {
        let raw = UnsafeRawBufferPointer(b)
        // Bytes 0..<8, 8..<16 and 15..<19 cover the first 19 bytes.
        return (raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self),
                raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
                raw.loadUnaligned(fromByteOffset: 15, as: UInt32.self))
    }
}
