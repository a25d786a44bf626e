/// Encodings of the gRPC-specific header values (grpc/doc/PROTOCOL-HTTP2.md).
enum GRPCHeaderValues {
    /// The `grpc-timeout` value for `nanoseconds`: at most 8 digits and a unit, rounded up so the server's
    /// deadline is never earlier than ours.
    static func timeout(nanoseconds: UInt64) -> String {
        for (scale, unit) in timeoutUnits {
            let value = nanoseconds / scale + (nanoseconds % scale == 0 ? 0 : 1)
            if value <= 99_999_999 { return "\(value)\(unit)" }
        }
        return "99999999H"
    }

    private static let timeoutUnits: [(UInt64, Character)] = [
        (1, "n"), (1_000, "u"), (1_000_000, "m"), (1_000_000_000, "S"), (60_000_000_000, "M"), (3_600_000_000_000, "H"),
    ]

    /// `grpc-message` decoded: the server percent-encodes bytes outside printable ASCII and `%` itself. Invalid
    /// escapes are kept as they are, as the spec asks.
    static func percentDecoded(_ value: String) -> String {
        guard value.utf8.contains(UInt8(ascii: "%")) else { return value }
        let bytes = Array(value.utf8)
        var decoded: [UInt8] = []
        decoded.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
               let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
            {
                decoded.append(high << 4 | low)
                index += 3
            } else {
                decoded.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: decoded, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
