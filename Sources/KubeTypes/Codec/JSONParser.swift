/// A hand-written, byte-level RFC 8259 parser producing `JSONValue`.
///
/// Strict where the API server is strict: duplicate object keys are an error, trailing data is an error, nesting
/// is bounded (so a hostile body cannot exhaust the stack). Lenient where Go's encoding/json is lenient: invalid
/// UTF-8 and lone surrogate escapes become U+FFFD instead of failing, so documents that kubectl accepts parse here.
struct JSONParser {
    /// Deeper documents are rejected; Kubernetes objects nest about 10 levels.
    static let maxDepth = 512

    /// A parse failure at a byte offset; the path is collected while the error unwinds (reversed).
    struct Failure: Error {
        var kind: KubeDecodingError.Kind
        var offset: Int
        var message: String
        var reversedPath: [FieldPathComponent] = []
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private var pos = 0
    private var depth = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// Parses one complete document.
    static func parse(_ input: [UInt8]) throws(KubeDecodingError) -> JSONValue {
        let result: Result<JSONValue, Failure> = input.withUnsafeBufferPointer { buffer in
            var parser = JSONParser(buffer)
            do {
                return .success(try parser.parseDocument())
            } catch let failure as Failure {
                return .failure(failure)
            } catch {
                return .failure(Failure(kind: .syntax, offset: parser.pos, message: "\(error)"))
            }
        }
        switch result {
        case let .success(value):
            return value
        case let .failure(failure):
            let (line, column) = input.withUnsafeBufferPointer { lineAndColumn(of: failure.offset, in: $0) }
            let path = FieldPath.string(failure.reversedPath.reversed())
            let message: String
            switch failure.kind {
            case .duplicateField:
                message = "strict decoding error: duplicate field \"\(path)\" at line \(line), column \(column)"
            case .invalidValue:
                message = "invalid value for \(FieldPath.describe(path)) at line \(line), column \(column): "
                    + failure.message
            default:
                message = "JSON syntax error at line \(line), column \(column): \(failure.message)"
            }
            throw KubeDecodingError(
                kind: failure.kind, fieldPath: path, line: line, column: column, message: message)
        }
    }

    // MARK: - Grammar

    private mutating func parseDocument() throws -> JSONValue {
        // A UTF-8 byte order mark carries no meaning; editors on some systems add one.
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { pos = 3 }
        skipWhitespace()
        guard pos < bytes.count else { throw fail("the document is empty") }
        let value = try parseValue()
        skipWhitespace()
        guard pos == bytes.count else {
            throw fail("unexpected \(describeByte(at: pos)) after the top-level value")
        }
        return value
    }

    private mutating func parseValue() throws -> JSONValue {
        guard pos < bytes.count else { throw fail("unexpected end of input, expected a value") }
        switch bytes[pos] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw fail("unexpected \(describeByte(at: pos)), expected a value")
        }
    }

    private mutating func enter() throws {
        depth += 1
        if depth > JSONParser.maxDepth {
            throw fail("the document nests deeper than \(JSONParser.maxDepth) levels")
        }
    }

    private mutating func parseObject() throws -> JSONValue {
        try enter()
        pos += 1  // {
        var members: [(key: String, value: JSONValue)] = []
        var keySet: Set<String>? = nil  // built only for large objects; small ones are scanned linearly
        skipWhitespace()
        if pos < bytes.count, bytes[pos] == UInt8(ascii: "}") {
            pos += 1
            depth -= 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard pos < bytes.count, bytes[pos] == UInt8(ascii: "\"") else {
                throw fail(pos < bytes.count
                    ? "unexpected \(describeByte(at: pos)), expected a string object key"
                    : "unexpected end of input inside an object")
            }
            let keyOffset = pos
            let key = try parseString()
            if isDuplicate(key, members, &keySet) {
                var failure = Failure(kind: .duplicateField, offset: keyOffset, message: "duplicate field")
                failure.reversedPath.append(.key(key))
                throw failure
            }
            skipWhitespace()
            guard pos < bytes.count, bytes[pos] == UInt8(ascii: ":") else {
                throw fail("expected ':' after object key \"\(key)\"")
            }
            pos += 1
            skipWhitespace()
            let value: JSONValue
            do {
                value = try parseValue()
            } catch var failure as Failure {
                failure.reversedPath.append(.key(key))
                throw failure
            }
            members.append((key, value))
            skipWhitespace()
            guard pos < bytes.count else { throw fail("unexpected end of input inside an object") }
            if bytes[pos] == UInt8(ascii: ",") {
                pos += 1
                continue
            }
            if bytes[pos] == UInt8(ascii: "}") {
                pos += 1
                depth -= 1
                return .object(members)
            }
            throw fail("unexpected \(describeByte(at: pos)), expected ',' or '}' after an object member")
        }
    }

    private func isDuplicate(
        _ key: String, _ members: [(key: String, value: JSONValue)], _ keySet: inout Set<String>?
    ) -> Bool {
        if keySet == nil, members.count < 16 {
            for member in members where member.key == key { return true }
            return false
        }
        if keySet == nil { keySet = Set(members.map(\.key)) }
        return keySet?.insert(key).inserted == false
    }

    private mutating func parseArray() throws -> JSONValue {
        try enter()
        pos += 1  // [
        var items: [JSONValue] = []
        skipWhitespace()
        if pos < bytes.count, bytes[pos] == UInt8(ascii: "]") {
            pos += 1
            depth -= 1
            return .array(items)
        }
        while true {
            skipWhitespace()
            do {
                items.append(try parseValue())
            } catch var failure as Failure {
                failure.reversedPath.append(.index(items.count))
                throw failure
            }
            skipWhitespace()
            guard pos < bytes.count else { throw fail("unexpected end of input inside an array") }
            if bytes[pos] == UInt8(ascii: ",") {
                pos += 1
                continue
            }
            if bytes[pos] == UInt8(ascii: "]") {
                pos += 1
                depth -= 1
                return .array(items)
            }
            throw fail("unexpected \(describeByte(at: pos)), expected ',' or ']' after an array element")
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws {
        let count = literal.utf8CodeUnitCount
        guard pos + count <= bytes.count else { throw fail("invalid literal, expected \(literal)") }
        let start = literal.utf8Start
        for i in 0..<count where bytes[pos + i] != start[i] {
            throw fail("invalid literal, expected \(literal)")
        }
        pos += count
    }

    // MARK: - Strings

    private mutating func parseString() throws -> String {
        let start = pos
        pos += 1  // opening quote
        // Fast path: no escapes. Most Kubernetes strings are plain ASCII.
        var i = pos
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[pos..<i]), as: UTF8.self)
                pos = i + 1
                return text
            }
            if b == UInt8(ascii: "\\") { break }
            if b < 0x20 {
                pos = i
                throw fail("control character U+\(hex4(UInt16(b))) in a string must be escaped")
            }
            i += 1
        }
        guard i < bytes.count else {
            pos = start
            throw fail("unterminated string")
        }
        // Slow path: unescape into a byte buffer.
        var out: [UInt8] = []
        out.reserveCapacity(i - pos + 16)
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[pos..<i]))
        pos = i
        while pos < bytes.count {
            let b = bytes[pos]
            if b == UInt8(ascii: "\"") {
                pos += 1
                return String(decoding: out, as: UTF8.self)
            }
            if b < 0x20 {
                throw fail("control character U+\(hex4(UInt16(b))) in a string must be escaped")
            }
            if b != UInt8(ascii: "\\") {
                out.append(b)
                pos += 1
                continue
            }
            guard pos + 1 < bytes.count else { break }
            let escape = bytes[pos + 1]
            pos += 2
            switch escape {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                let unit = try readHex4()
                var scalar: Unicode.Scalar
                if (0xD800...0xDBFF).contains(unit) {
                    // A high surrogate must be followed by an escaped low surrogate to form one scalar
                    // (RFC 8259 §7); a lone one is replaced, as Go's encoding/json does.
                    if pos + 1 < bytes.count, bytes[pos] == UInt8(ascii: "\\"), bytes[pos + 1] == UInt8(ascii: "u") {
                        let save = pos
                        pos += 2
                        let low = try readHex4()
                        if (0xDC00...0xDFFF).contains(low) {
                            let value = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
                            scalar = Unicode.Scalar(value) ?? "\u{FFFD}"
                        } else {
                            scalar = "\u{FFFD}"
                            pos = save  // the second escape is decoded on its own
                        }
                    } else {
                        scalar = "\u{FFFD}"
                    }
                } else {
                    scalar = Unicode.Scalar(UInt32(unit)) ?? "\u{FFFD}"  // nil for a lone low surrogate
                }
                appendUTF8(scalar, to: &out)
            default:
                pos -= 2
                throw fail("invalid escape sequence '\\\(Unicode.Scalar(escape))' in a string")
            }
        }
        pos = start
        throw fail("unterminated string")
    }

    private mutating func readHex4() throws -> UInt16 {
        guard pos + 4 <= bytes.count else { throw fail("truncated \\u escape in a string") }
        var value: UInt16 = 0
        for k in 0..<4 {
            let c = bytes[pos + k]
            let digit: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = c - UInt8(ascii: "A") + 10
            default:
                pos += k
                throw fail("invalid hexadecimal digit in a \\u escape")
            }
            value = value << 4 | UInt16(digit)
        }
        pos += 4
        return value
    }

    // MARK: - Numbers

    private mutating func parseNumber() throws -> JSONValue {
        let start = pos
        var negative = false
        if bytes[pos] == UInt8(ascii: "-") {
            negative = true
            pos += 1
        }
        guard pos < bytes.count, isDigit(bytes[pos]) else { throw fail("invalid number: expected a digit") }
        if bytes[pos] == UInt8(ascii: "0"), pos + 1 < bytes.count, isDigit(bytes[pos + 1]) {
            throw fail("invalid number: leading zeros are not allowed")
        }
        // Accumulate negatively so that Int64.min parses exactly.
        var value: Int64 = 0
        var overflow = false
        while pos < bytes.count, isDigit(bytes[pos]) {
            if !overflow {
                let (m, o1) = value.multipliedReportingOverflow(by: 10)
                let (s, o2) = m.subtractingReportingOverflow(Int64(bytes[pos] - UInt8(ascii: "0")))
                if o1 || o2 { overflow = true } else { value = s }
            }
            pos += 1
        }
        var isInteger = true
        if pos < bytes.count, bytes[pos] == UInt8(ascii: ".") {
            isInteger = false
            pos += 1
            guard pos < bytes.count, isDigit(bytes[pos]) else {
                throw fail("invalid number: expected a digit after the decimal point")
            }
            while pos < bytes.count, isDigit(bytes[pos]) { pos += 1 }
        }
        if pos < bytes.count, bytes[pos] == UInt8(ascii: "e") || bytes[pos] == UInt8(ascii: "E") {
            isInteger = false
            pos += 1
            if pos < bytes.count, bytes[pos] == UInt8(ascii: "+") || bytes[pos] == UInt8(ascii: "-") { pos += 1 }
            guard pos < bytes.count, isDigit(bytes[pos]) else {
                throw fail("invalid number: expected a digit in the exponent")
            }
            while pos < bytes.count, isDigit(bytes[pos]) { pos += 1 }
        }
        if isInteger, !overflow {
            if negative { return .int(value) }
            if value != Int64.min { return .int(-value) }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<pos]), as: UTF8.self)
        guard let double = Double(text), double.isFinite else {
            throw Failure(kind: .invalidValue, offset: start, message: "number \(text) is out of range")
        }
        return .double(double)
    }

    // MARK: - Helpers

    private mutating func skipWhitespace() {
        while pos < bytes.count {
            switch bytes[pos] {
            case 0x20, 0x0A, 0x0D, 0x09: pos += 1
            default: return
            }
        }
    }

    private func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    private func fail(_ message: String) -> Failure {
        Failure(kind: .syntax, offset: pos, message: message)
    }

    private func describeByte(at offset: Int) -> String {
        guard offset < bytes.count else { return "end of input" }
        let b = bytes[offset]
        if b >= 0x21, b < 0x7F { return "character '\(Unicode.Scalar(b))'" }
        return "byte 0x\(String(b, radix: 16))"
    }
}

/// Appends the UTF-8 encoding of `scalar`.
func appendUTF8(_ scalar: Unicode.Scalar, to out: inout [UInt8]) {
    let v = scalar.value
    switch v {
    case 0..<0x80:
        out.append(UInt8(v))
    case 0x80..<0x800:
        out.append(UInt8(0xC0 | (v >> 6)))
        out.append(UInt8(0x80 | (v & 0x3F)))
    case 0x800..<0x10000:
        out.append(UInt8(0xE0 | (v >> 12)))
        out.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
        out.append(UInt8(0x80 | (v & 0x3F)))
    default:
        out.append(UInt8(0xF0 | (v >> 18)))
        out.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
        out.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
        out.append(UInt8(0x80 | (v & 0x3F)))
    }
}

func hex4(_ v: UInt16) -> String {
    let digits = String(v, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
}
