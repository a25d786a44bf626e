/// The two tiny messages of `grpc.health.v1`, encoded by hand so the prober needs no generated code:
/// `HealthCheckRequest { string service = 1; }` and `HealthCheckResponse { ServingStatus status = 1; }`.
enum GRPCHealthMessages {
    /// `ServingStatus` names, by number.
    static let statusNames = [0: "UNKNOWN", 1: "SERVING", 2: "NOT_SERVING", 3: "SERVICE_UNKNOWN"]
    static let serving = 1

    /// Field 1 (length-delimited) when the service name is not empty; an empty message otherwise.
    static func request(service: String) -> [UInt8] {
        let name = Array(service.utf8)
        guard !name.isEmpty else { return [] }
        return [0x0A] + varint(UInt64(name.count)) + name
    }

    /// The status in a response: field 1 as a varint (0, UNKNOWN, when absent, as proto3 defines).
    static func status(in bytes: [UInt8]) throws(GRPCHealthDecodingError) -> Int {
        var index = 0
        var status = 0
        while index < bytes.count {
            let key = try readVarint(bytes, &index)
            let field = key >> 3
            switch key & 7 {
            case 0:
                let value = try readVarint(bytes, &index)
                if field == 1 { status = Int(truncatingIfNeeded: value) }
            case 1: index += 8
            case 2: index += Int(try readVarint(bytes, &index))
            case 5: index += 4
            default: throw GRPCHealthDecodingError(message: "unsupported wire type \(key & 7)")
            }
            if index > bytes.count { throw GRPCHealthDecodingError(message: "truncated message") }
        }
        return status
    }

    static func varint(_ value: UInt64) -> [UInt8] {
        var value = value
        var bytes: [UInt8] = []
        repeat {
            var byte = UInt8(value & 0x7F)
            value >>= 7
            if value != 0 { byte |= 0x80 }
            bytes.append(byte)
        } while value != 0
        return bytes
    }

    static func readVarint(_ bytes: [UInt8], _ index: inout Int) throws(GRPCHealthDecodingError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while index < bytes.count && shift < 64 {
            let byte = bytes[index]
            index += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
        throw GRPCHealthDecodingError(message: "truncated varint")
    }
}

/// A health response that is not a valid `HealthCheckResponse`.
struct GRPCHealthDecodingError: Error, Sendable, CustomStringConvertible {
    var message: String
    var description: String { message }
}
