/// A parsed request line and header block (RFC 9112), before the body is read.
struct RequestHead: Sendable {
    var method: String
    var target: String
    var version: String          // "HTTP/1.1" or "HTTP/1.0"
    var headers: HTTPHeaders

    /// How the body is framed.
    enum BodyFraming: Equatable {
        case none
        case contentLength(Int)
        case chunked
    }

    static let knownMethods: Set<String> = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]

    /// Parses `bytes` = request line + fields + the terminating empty line. Throws HTTPError 400 on malformed
    /// input (strict: CRLF line ends, token method, origin-form or asterisk target, HTTP/1.0 or 1.1).
    static func parse(_ bytes: [UInt8]) throws -> RequestHead {
        var lines: [ArraySlice<UInt8>] = []
        var start = 0
        var i = 0
        while i + 1 < bytes.count {
            if bytes[i] == 0x0D && bytes[i + 1] == 0x0A {
                lines.append(bytes[start..<i])
                i += 2
                start = i
            } else {
                if bytes[i] == 0x0A || bytes[i] == 0 { throw HTTPError.badRequest("malformed request: bare LF or NUL") }
                i += 1
            }
        }
        // Drop the final empty line(s) that terminated the head.
        while let last = lines.last, last.isEmpty { lines.removeLast() }
        guard let requestLine = lines.first else { throw HTTPError.badRequest("empty request") }
        let parts = requestLine.split(separator: 0x20, omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw HTTPError.badRequest("malformed request line") }
        let method = String(decoding: parts[0], as: UTF8.self)
        let target = String(decoding: parts[1], as: UTF8.self)
        let version = String(decoding: parts[2], as: UTF8.self)
        guard !method.isEmpty, parts[0].allSatisfy(isTokenChar) else {
            throw HTTPError.badRequest("malformed request line: invalid method")
        }
        guard version == "HTTP/1.1" || version == "HTTP/1.0" else {
            throw HTTPError.badRequest("malformed request line: unsupported protocol version")
        }
        guard target.hasPrefix("/") || (target == "*" && method == "OPTIONS"),
              parts[1].allSatisfy({ $0 > 0x20 && $0 < 0x7F }),
              PercentDecoding.isWellFormed(Substring(target)) else {
            throw HTTPError.badRequest("malformed request line: invalid request target")
        }
        guard knownMethods.contains(method) else {
            throw HTTPError(status: 501, reason: "NotImplemented", message: "method \(method) is not implemented")
        }
        var headers = HTTPHeaders()
        for line in lines.dropFirst() {
            if line.first == 0x20 || line.first == 0x09 { throw HTTPError.badRequest("obsolete header line folding") }
            guard let colon = line.firstIndex(of: 0x3A) else { throw HTTPError.badRequest("malformed header field") }
            let name = line[line.startIndex..<colon]
            guard !name.isEmpty, name.allSatisfy(isTokenChar) else {
                throw HTTPError.badRequest("malformed header field name")
            }
            let value = String(decoding: line[(colon + 1)...], as: UTF8.self).trimmingSpaces
            headers.add(String(decoding: name, as: UTF8.self), value)
        }
        return RequestHead(method: method, target: target, version: version, headers: headers)
    }

    /// Body framing per RFC 9112 §6.3; conflicting or invalid framing is a 400.
    func bodyFraming() throws -> BodyFraming {
        let te = headers.values("Transfer-Encoding")
        let cl = headers.values("Content-Length")
        if !te.isEmpty {
            guard cl.isEmpty else { throw HTTPError.badRequest("both Transfer-Encoding and Content-Length") }
            guard version == "HTTP/1.1", te.count == 1, HTTPHeaders.equal(te[0].trimmingSpaces, "chunked") else {
                throw HTTPError(status: 501, reason: "NotImplemented", message: "unsupported Transfer-Encoding")
            }
            return .chunked
        }
        guard let first = cl.first else { return .none }
        guard cl.allSatisfy({ $0 == first }), !first.isEmpty, first.utf8.count <= 18,
              first.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let n = Int(first) else {
            throw HTTPError.badRequest("invalid Content-Length")
        }
        return n == 0 ? .none : .contentLength(n)
    }

    /// Whether the connection stays open after this request.
    var keepAlive: Bool {
        if version == "HTTP/1.0" { return headers.containsToken("Connection", "keep-alive") }
        return !headers.containsToken("Connection", "close")
    }

    private static func isTokenChar(_ c: UInt8) -> Bool {
        switch c {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return true
        case 0x21, 0x23, 0x24, 0x25, 0x26, 0x27, 0x2A, 0x2B, 0x2D, 0x2E, 0x5E, 0x5F, 0x60, 0x7C, 0x7E: return true
        default: return false
        }
    }
}
