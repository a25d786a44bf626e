/// Renders `HTTPError`s as Kubernetes `Status` objects, the error body every Kubernetes API client understands.
public enum KubernetesStatusRenderer {
    /// `{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":…,"reason":…,"code":N}`
    /// with Content-Type application/json and the error's extra headers.
    public static func render(_ e: HTTPError) -> HTTPResponse {
        var out = #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"#
        JSONString.append(e.message, to: &out)
        out += #","reason":"#
        JSONString.append(e.reason, to: &out)
        out += #","code":\#(e.status)}"#
        var response = HTTPResponse.json(Array(out.utf8), status: e.status)
        for (name, value) in e.headers { response.headers.add(name, value) }
        response.logAttributes = e.logAttributes
        return response
    }
}

/// JSON string literal encoding (RFC 8259): quotes, backslash and control characters escaped.
enum JSONString {
    static func append(_ s: String, to out: inout String) {
        out.append("\"")
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out.append("\\\"")
            case "\\": out.append("\\\\")
            case "\n": out.append("\\n")
            case "\r": out.append("\\r")
            case "\t": out.append("\\t")
            case "\u{08}": out.append("\\b")
            case "\u{0C}": out.append("\\f")
            default:
                if scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    let hex = String(scalar.value, radix: 16)
                    out.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out.append("\"")
    }
}
