import CLibevent

/// RFC 6455 §4.2 server handshake validation.
enum WebSocketHandshake {
    struct Accepted: Sendable {
        var acceptKey: String
        var subprotocol: String?
        var maxMessageBytes: Int
    }

    static let guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    static func validate(_ request: HTTPRequest, upgrade: WebSocketUpgrade) -> Result<Accepted, HTTPError> {
        guard request.method == "GET", request.version == "HTTP/1.1" else {
            return .failure(.badRequest("WebSocket upgrade requires GET over HTTP/1.1"))
        }
        guard request.headers.containsToken("Upgrade", "websocket") else {
            return .failure(.badRequest("missing \"Upgrade: websocket\" header"))
        }
        guard request.headers.containsToken("Connection", "upgrade") else {
            return .failure(.badRequest("missing \"Connection: Upgrade\" header"))
        }
        guard request.headers["Sec-WebSocket-Version"]?.trimmingSpaces == "13" else {
            var e = HTTPError(status: 426, reason: "BadRequest", message: "unsupported Sec-WebSocket-Version; use 13")
            e.headers.set("Sec-WebSocket-Version", "13")
            return .failure(e)
        }
        guard let key = request.headers["Sec-WebSocket-Key"]?.trimmingSpaces, key.utf8.count == 24,
              swiftlet_base64_decoded_length(key, 24) == 16 else {
            return .failure(.badRequest("missing or invalid Sec-WebSocket-Key"))
        }
        let offered = request.headers.values("Sec-WebSocket-Protocol")
            .flatMap { $0.split(separator: ",").map { $0.trimmingSpaces } }
            .filter { !$0.isEmpty }
        var selected: String?
        if !offered.isEmpty {
            selected = upgrade.subprotocols.first { offered.contains($0) }
            if selected == nil {
                return .failure(.forbidden(
                    "none of the requested WebSocket subprotocols \(offered) is supported; supported: \(upgrade.subprotocols)"))
            }
        }
        return .success(Accepted(acceptKey: acceptKey(for: key), subprotocol: selected,
                                 maxMessageBytes: upgrade.maxMessageBytes))
    }

    /// base64(SHA-1(key + GUID)).
    static func acceptKey(for key: String) -> String {
        let input = Array((key + guid).utf8)
        var out = [CChar](repeating: 0, count: 32)
        let n = input.withUnsafeBufferPointer { swiftlet_sha1_base64($0.baseAddress, $0.count, &out) }
        return String(decoding: out[0..<Int(n)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
