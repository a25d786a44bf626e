import Foundation

/// A small TOML reader for the subset the generated files use (tables with quoted key parts, strings, booleans,
/// integers, arrays of strings, comments). It is strict: anything else, or a key set twice, is an error, so the
/// tests catch malformed output instead of matching text.
struct MiniTOML {
    enum Value: Equatable {
        case string(String)
        case bool(Bool)
        case integer(Int)
        case strings([String])
    }

    struct ParseError: Error, CustomStringConvertible {
        var line: Int
        var message: String
        var description: String { "line \(line): \(message)" }
    }

    /// Values by full key path, e.g. `["plugins", "io.containerd.grpc.v1.cri", "cni", "bin_dir"]`.
    private(set) var values: [[String]: Value] = [:]
    /// Every table header seen.
    private(set) var tables: Set<[String]> = []

    init(_ text: String) throws {
        var table: [String] = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = index + 1
            var scanner = Scanner(Array(rawLine.unicodeScalars), line: lineNumber)
            scanner.skipSpaces()
            if scanner.atEndOrComment { continue }
            if scanner.peek == "[" {
                scanner.advance()
                table = try scanner.keyPath(until: "]")
                scanner.advance()
                try scanner.expectEnd()
                guard tables.insert(table).inserted else { throw ParseError(line: lineNumber, message: "table \(table) twice") }
                continue
            }
            let key = try scanner.keyPath(until: "=")
            scanner.advance()
            scanner.skipSpaces()
            let value = try scanner.value()
            try scanner.expectEnd()
            let path = table + key
            guard values[path] == nil else { throw ParseError(line: lineNumber, message: "key \(path) twice") }
            values[path] = value
        }
    }

    subscript(_ path: String...) -> Value? { values[path] }

    private struct Scanner {
        let chars: [Unicode.Scalar]
        var position = 0
        let line: Int

        init(_ chars: [Unicode.Scalar], line: Int) {
            self.chars = chars
            self.line = line
        }

        var peek: Unicode.Scalar? { position < chars.count ? chars[position] : nil }
        var atEndOrComment: Bool { peek == nil || peek == "#" }
        mutating func advance() { position += 1 }
        mutating func skipSpaces() { while peek == " " || peek == "\t" { advance() } }

        func fail(_ message: String) -> ParseError { ParseError(line: line, message: message) }

        mutating func expectEnd() throws {
            skipSpaces()
            guard atEndOrComment else { throw fail("unexpected text after the value") }
        }

        /// Dotted key parts, bare or quoted, up to `terminator` (left as the current character).
        mutating func keyPath(until terminator: Unicode.Scalar) throws -> [String] {
            var parts: [String] = []
            while true {
                skipSpaces()
                if peek == "\"" {
                    parts.append(try basicString())
                } else {
                    var bare = ""
                    while let c = peek, c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "_" || c == "-" {
                        bare.unicodeScalars.append(c)
                        advance()
                    }
                    guard !bare.isEmpty else { throw fail("empty key part") }
                    parts.append(bare)
                }
                skipSpaces()
                if peek == "." {
                    advance()
                    continue
                }
                guard peek == terminator else { throw fail("expected \(terminator)") }
                return parts
            }
        }

        mutating func basicString() throws -> String {
            guard peek == "\"" else { throw fail("expected a string") }
            advance()
            var out = ""
            while let c = peek {
                advance()
                switch c {
                case "\"": return out
                case "\\":
                    guard let e = peek else { throw fail("dangling escape") }
                    advance()
                    switch e {
                    case "\"": out += "\""
                    case "\\": out += "\\"
                    case "n": out += "\n"
                    case "t": out += "\t"
                    case "r": out += "\r"
                    case "u":
                        guard position + 4 <= chars.count,
                            let v = UInt32(String(String.UnicodeScalarView(chars[position..<position + 4])), radix: 16),
                            let scalar = Unicode.Scalar(v)
                        else { throw fail("bad \\u escape") }
                        out.unicodeScalars.append(scalar)
                        position += 4
                    default: throw fail("unknown escape \\\(e)")
                    }
                default:
                    guard c.value >= 0x20 else { throw fail("control character in a string") }
                    out.unicodeScalars.append(c)
                }
            }
            throw fail("unterminated string")
        }

        mutating func value() throws -> Value {
            if peek == "\"" { return .string(try basicString()) }
            if peek == "[" {
                advance()
                var items: [String] = []
                while true {
                    skipSpaces()
                    if peek == "]" {
                        advance()
                        return .strings(items)
                    }
                    items.append(try basicString())
                    skipSpaces()
                    if peek == "," { advance() } else if peek != "]" { throw fail("expected , or ]") }
                }
            }
            var word = ""
            while let c = peek, c != " ", c != "#" {
                word.unicodeScalars.append(c)
                advance()
            }
            if word == "true" { return .bool(true) }
            if word == "false" { return .bool(false) }
            if let number = Int(word) { return .integer(number) }
            throw fail("unsupported value \(word)")
        }
    }
}
