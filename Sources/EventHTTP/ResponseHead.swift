/// Serialises a response status line and header block.
enum ResponseHead {
    static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 100: return "Continue"
        case 101: return "Switching Protocols"
        case 200: return "OK"
        case 201: return "Created"
        case 202: return "Accepted"
        case 204: return "No Content"
        case 301: return "Moved Permanently"
        case 302: return "Found"
        case 304: return "Not Modified"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 408: return "Request Timeout"
        case 409: return "Conflict"
        case 413: return "Content Too Large"
        case 415: return "Unsupported Media Type"
        case 422: return "Unprocessable Content"
        case 426: return "Upgrade Required"
        case 429: return "Too Many Requests"
        case 431: return "Request Header Fields Too Large"
        case 499: return "Client Closed Request"
        case 500: return "Internal Server Error"
        case 501: return "Not Implemented"
        case 503: return "Service Unavailable"
        default: return "Status \(status)"
        }
    }

    /// Whether a response with this status to this method carries a body.
    static func hasBody(status: Int, method: String) -> Bool {
        !(method == "HEAD" || status == 204 || status == 304 || (100..<200).contains(status))
    }

    /// "HTTP/1.1 200 OK\r\n" + user headers (minus framing ones) + framing headers + "\r\n".
    static func serialize(status: Int, headers: HTTPHeaders, contentLength: Int?, chunked: Bool,
                          close: Bool) -> [UInt8] {
        var s = "HTTP/1.1 \(status) \(reasonPhrase(status))\r\n"
        for (name, value) in headers {
            if HTTPHeaders.equal(name, "Content-Length") || HTTPHeaders.equal(name, "Transfer-Encoding")
                || HTTPHeaders.equal(name, "Connection") { continue }
            // Header injection guard: CR/LF in names or values would split the response.
            if name.utf8.contains(where: { $0 == 13 || $0 == 10 }) || value.utf8.contains(where: { $0 == 13 || $0 == 10 }) {
                continue
            }
            s += "\(name): \(value)\r\n"
        }
        if let contentLength { s += "Content-Length: \(contentLength)\r\n" }
        if chunked { s += "Transfer-Encoding: chunked\r\n" }
        if close { s += "Connection: close\r\n" }
        s += "\r\n"
        return Array(s.utf8)
    }
}
