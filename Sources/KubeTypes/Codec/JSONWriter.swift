/// Byte-level JSON output primitives shared by the direct encoder and `JSONValue` serialisation.
///
/// Output follows Go's encoding/json where it matters to clients that compare against the API server: compact,
/// integers exact, floats shortest-round-trip without a ".0" suffix and with exponents only outside
/// [1e-6, 1e21), U+2028/U+2029 escaped so the output is also safe inside JavaScript. Unlike Go, `<`, `>` and `&`
/// are kept as they are: the output is never embedded in HTML.
enum JSONWriter {
    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends `string` as a quoted, escaped JSON string.
    static func appendString(_ string: String, to out: inout [UInt8]) {
        out.append(0x22)
        let done: Void? = string.utf8.withContiguousStorageIfAvailable { utf8 in appendEscaped(utf8, to: &out) }
        if done == nil {
            // Bridged or otherwise non-contiguous strings (rare on Linux) get a contiguous copy first.
            var copy = string
            copy.withUTF8 { utf8 in appendEscaped(utf8, to: &out) }
        }
        out.append(0x22)
    }

    /// Appends the escaped form of UTF-8 bytes (without quotes), copying unescaped runs in one go.
    static func appendEscaped(_ utf8: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        var runStart = 0
        var i = 0
        let count = utf8.count
        while i < count {
            let b = utf8[i]
            if b >= 0x20, b != 0x22, b != 0x5C, b != 0xE2 {
                i += 1
                continue
            }
            if b == 0xE2 {
                // U+2028 and U+2029 are E2 80 A8 / E2 80 A9.
                guard i + 2 < count, utf8[i + 1] == 0x80, utf8[i + 2] == 0xA8 || utf8[i + 2] == 0xA9 else {
                    i += 1
                    continue
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<i]))
                out.append(contentsOf: utf8[i + 2] == 0xA8 ? [0x5C, 0x75, 0x32, 0x30, 0x32, 0x38]
                    : [0x5C, 0x75, 0x32, 0x30, 0x32, 0x39])
                i += 3
                runStart = i
                continue
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<i]))
            out.append(0x5C)
            switch b {
            case 0x22: out.append(0x22)
            case 0x5C: out.append(0x5C)
            case 0x0A: out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(UInt8(ascii: "r"))
            case 0x09: out.append(UInt8(ascii: "t"))
            case 0x08: out.append(UInt8(ascii: "b"))
            case 0x0C: out.append(UInt8(ascii: "f"))
            default:
                out.append(UInt8(ascii: "u"))
                out.append(UInt8(ascii: "0"))
                out.append(UInt8(ascii: "0"))
                out.append(hexDigits[Int(b >> 4)])
                out.append(hexDigits[Int(b & 0xF)])
            }
            i += 1
            runStart = i
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<count]))
    }

    /// Appends a decimal integer.
    static func appendInteger<I: BinaryInteger>(_ value: I, to out: inout [UInt8]) {
        if value < 0 {
            out.append(UInt8(ascii: "-"))
            appendUnsigned(UInt64(value.magnitude), to: &out)
        } else {
            appendUnsigned(UInt64(value), to: &out)
        }
    }

    private static func appendUnsigned(_ value: UInt64, to out: inout [UInt8]) {
        if value < 10 {
            out.append(UInt8(truncatingIfNeeded: value) &+ 0x30)
            return
        }
        var digits = 0
        var v = value
        while v > 0 {
            digits += 1
            v /= 10
        }
        let start = out.count
        out.append(contentsOf: repeatElement(UInt8(0), count: digits))
        v = value
        var index = start + digits - 1
        while v > 0 {
            out[index] = UInt8(truncatingIfNeeded: v % 10) &+ 0x30
            v /= 10
            index -= 1
        }
    }

    /// Appends a Double in Go's encoding/json style; `false` when the value is not finite (not representable).
    static func appendDouble(_ value: Double, to out: inout [UInt8]) -> Bool {
        guard value.isFinite else { return false }
        let magnitude = value.magnitude
        let exponential = magnitude != 0 && (magnitude < 1e-6 || magnitude >= 1e21)
        appendFloatText(value.description, negative: value.sign == .minus, exponential: exponential, to: &out)
        return true
    }

    /// Appends a Float with its own shortest digits (so 0.1 as Float prints "0.1", not 0.10000000149011612).
    static func appendFloat(_ value: Float, to out: inout [UInt8]) -> Bool {
        guard value.isFinite else { return false }
        let magnitude = value.magnitude
        let exponential = magnitude != 0 && (magnitude < 1e-6 || magnitude >= 1e21)
        appendFloatText(value.description, negative: value.sign == .minus, exponential: exponential, to: &out)
        return true
    }

    /// Reformats Swift's shortest round-trip `description` ("1e-07", "100.0", "1.5e+21") in Go's layout
    /// ("1e-7", "100", "1.5e+21"): same digits, different notation.
    private static func appendFloatText(_ text: String, negative: Bool, exponential: Bool, to out: inout [UInt8]) {
        var digits: [UInt8] = []
        digits.reserveCapacity(20)
        var pointPosition = -1
        var exponent = 0
        var exponentSign = 1
        var inExponent = false
        for c in text.utf8 {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if inExponent { exponent = exponent * 10 + Int(c - 0x30) } else { digits.append(c) }
            case UInt8(ascii: "."):
                pointPosition = digits.count
            case UInt8(ascii: "e"), UInt8(ascii: "E"):
                inExponent = true
            case UInt8(ascii: "-"):
                if inExponent { exponentSign = -1 }
            default:
                break
            }
        }
        if pointPosition < 0 { pointPosition = digits.count }
        // value = 0.d1d2...dn × 10^decimalExponent
        var decimalExponent = pointPosition + exponentSign * exponent
        var first = 0
        while first < digits.count, digits[first] == UInt8(ascii: "0") {
            first += 1
            decimalExponent -= 1
        }
        var last = digits.count
        while last > first, digits[last - 1] == UInt8(ascii: "0") { last -= 1 }
        if negative { out.append(UInt8(ascii: "-")) }
        if first == last {
            out.append(UInt8(ascii: "0"))
            return
        }
        let significant = digits[first..<last]
        let n = significant.count
        if exponential {
            out.append(significant[significant.startIndex])
            if n > 1 {
                out.append(UInt8(ascii: "."))
                out.append(contentsOf: significant.dropFirst())
            }
            let e = decimalExponent - 1
            out.append(UInt8(ascii: "e"))
            out.append(e < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
            appendUnsigned(UInt64(e.magnitude), to: &out)
        } else if decimalExponent <= 0 {
            out.append(UInt8(ascii: "0"))
            out.append(UInt8(ascii: "."))
            out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: -decimalExponent))
            out.append(contentsOf: significant)
        } else if decimalExponent >= n {
            out.append(contentsOf: significant)
            out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: decimalExponent - n))
        } else {
            out.append(contentsOf: significant.prefix(decimalExponent))
            out.append(UInt8(ascii: "."))
            out.append(contentsOf: significant.dropFirst(decimalExponent))
        }
    }

    /// Serialises a tree. Non-finite doubles (which the parser never produces) are written as `null`.
    static func append(_ value: JSONValue, to out: inout [UInt8]) {
        switch value {
        case .null:
            out.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C])
        case let .bool(b):
            out.append(contentsOf: b ? [0x74, 0x72, 0x75, 0x65] : [0x66, 0x61, 0x6C, 0x73, 0x65])
        case let .int(i):
            appendInteger(i, to: &out)
        case let .double(d):
            if !appendDouble(d, to: &out) { out.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C]) }
        case let .string(s):
            appendString(s, to: &out)
        case let .array(items):
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                append(item, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case let .object(members):
            out.append(UInt8(ascii: "{"))
            for (i, member) in members.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                appendString(member.key, to: &out)
                out.append(UInt8(ascii: ":"))
                append(member.value, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }
}
