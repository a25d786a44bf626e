/// Encodes request header blocks as HPACK literals that never touch the dynamic table (RFC 7541 §6.2.2),
/// with header names from the static table where it has them and no Huffman coding.
///
/// Why not NIOHPACK's encoder: a stateless encoding lets the constant part of every request be encoded once per
/// connection, and needs no ordering between encoding and writing. The bytes cost nothing on a local socket.
/// Responses, which the peer compresses as it likes, are decoded with NIOHPACK (`HeaderBlockDecoder`).
enum HPACKLiteralEncoder {
    /// Static table indices (RFC 7541 Appendix A) of the names and name-value pairs the client sends.
    enum StaticIndex {
        static let authority = 1
        static let methodPOST = 3
        static let path = 4
        static let schemeHTTP = 6
        static let contentType = 31
        static let userAgent = 58
    }

    /// A header that is fully in the static table (name and value), e.g. `:method: POST`.
    static func indexed(_ index: Int, into bytes: inout [UInt8]) {
        appendInteger(index, prefixBits: 7, flags: 0x80, into: &bytes)
    }

    /// A literal value for a static-table name, without indexing.
    static func literal(nameIndex: Int, value: String, into bytes: inout [UInt8]) {
        appendInteger(nameIndex, prefixBits: 4, flags: 0x00, into: &bytes)
        appendString(value, into: &bytes)
    }

    /// A literal name and value, without indexing.
    static func literal(name: String, value: String, into bytes: inout [UInt8]) {
        bytes.append(0x00)
        appendString(name, into: &bytes)
        appendString(value, into: &bytes)
    }

    /// An HPACK integer with an N-bit prefix (RFC 7541 §5.1); `flags` fills the bits above the prefix.
    static func appendInteger(_ value: Int, prefixBits: Int, flags: UInt8, into bytes: inout [UInt8]) {
        let limit = (1 << prefixBits) - 1
        if value < limit {
            bytes.append(flags | UInt8(value))
            return
        }
        bytes.append(flags | UInt8(limit))
        var rest = value - limit
        while rest >= 128 {
            bytes.append(UInt8(rest & 0x7F) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    /// A string literal without Huffman coding (§5.2).
    static func appendString(_ string: String, into bytes: inout [UInt8]) {
        let utf8 = string.utf8
        appendInteger(utf8.count, prefixBits: 7, flags: 0x00, into: &bytes)
        bytes.append(contentsOf: utf8)
    }
}
