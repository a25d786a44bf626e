import CLibevent
import FoundationEssentials
#if canImport(Glibc)
import Glibc
import SystemSupport
#endif

/// The blocking part of opening a client WebSocket: TCP connect and the RFC 6455 §4.1 opening handshake, bounded
/// by one deadline. Runs on the connection's own thread, never on Swift's cooperative pool.
enum ClientHandshake {
    /// A connected, upgraded socket (non-blocking) and the bytes that followed the 101 head.
    struct Upgraded {
        var fd: Int32
        var subprotocol: String?
        var leftover: [UInt8]
    }

    static let guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
    static let maxHeadBytes = 16 * 1024
    /// `send` flag: a peer that went away must give EPIPE, not kill the process with SIGPIPE.
    static let noSignal = Int32(MSG_NOSIGNAL)

    static func open(_ endpoint: StreamEndpoint, subprotocols: [String], timeout: Duration) throws -> Upgraded {
        let deadline = ContinuousClock.now + timeout
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { throw WebSocketClientError.connectFailed("socket: \(errnoText())") }
        do {
            try connect(fd, endpoint, deadline: deadline, timeout: timeout)
            var one: Int32 = 1
            _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            let key = Data((0..<16).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
            var request = "GET \(endpoint.target) HTTP/1.1\r\nHost: \(endpoint.host):\(endpoint.port)\r\n"
            request += "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: \(key)\r\nSec-WebSocket-Version: 13\r\n"
            if !subprotocols.isEmpty { request += "Sec-WebSocket-Protocol: \(subprotocols.joined(separator: ", "))\r\n" }
            request += "\r\n"
            try writeAll(fd, Array(request.utf8), deadline: deadline, timeout: timeout)
            let (head, leftover) = try readHead(fd, deadline: deadline, timeout: timeout)
            let subprotocol = try validate(head: head, leftover: leftover, key: key, offered: subprotocols)
            return Upgraded(fd: fd, subprotocol: subprotocol, leftover: leftover)
        } catch {
            close(fd)
            throw error
        }
    }

    /// Checks the 101 answer; returns the selected subprotocol.
    static func validate(head: String, leftover: [UInt8], key: String, offered: [String]) throws -> String? {
        var lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst()
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]) else {
            throw WebSocketClientError.invalidHandshake("malformed status line \"\(statusLine.prefix(80))\"")
        }
        guard status == 101 else {
            let body = String(decoding: leftover.prefix(300), as: UTF8.self).trimmingWhitespaceAndNewlines()
            throw WebSocketClientError.upgradeRefused(status: status, body: body)
        }
        var headers: [String: String] = [:]
        for line in lines where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingWhitespace()
            headers[name] = headers[name].map { $0 + ", " + value } ?? value
        }
        guard headers["upgrade"]?.lowercased() == "websocket" else {
            throw WebSocketClientError.invalidHandshake("missing \"Upgrade: websocket\"")
        }
        guard headers["connection"]?.lowercased().split(separator: ",").contains(where: {
            $0.trimmingWhitespace() == "upgrade"
        }) == true else {
            throw WebSocketClientError.invalidHandshake("missing \"Connection: Upgrade\"")
        }
        guard headers["sec-websocket-accept"] == acceptKey(for: key) else {
            throw WebSocketClientError.invalidHandshake("Sec-WebSocket-Accept does not match the key sent")
        }
        let selected = headers["sec-websocket-protocol"]
        if let selected, !offered.contains(selected) {
            throw WebSocketClientError.invalidHandshake("server selected subprotocol \"\(selected)\", which was not offered")
        }
        return selected
    }

    /// base64(SHA-1(key + GUID)), RFC 6455 §4.2.2.
    static func acceptKey(for key: String) -> String {
        let input = Array((key + guid).utf8)
        var out = [CChar](repeating: 0, count: 32)
        let n = input.withUnsafeBufferPointer { swiftlet_sha1_base64($0.baseAddress, $0.count, &out) }
        return String(decoding: out[0..<Int(max(n, 0))].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func connect(_ fd: Int32, _ endpoint: StreamEndpoint, deadline: ContinuousClock.Instant,
                                timeout: Duration) throws {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = endpoint.port.bigEndian
        guard inet_pton(AF_INET, endpoint.host, &address.sin_addr) == 1 else {
            throw WebSocketClientError.invalidURL("http://\(endpoint.host):\(endpoint.port)\(endpoint.target)")
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if result == 0 { return }
        guard errno == EINPROGRESS else {
            throw WebSocketClientError.connectFailed("\(endpoint.host):\(endpoint.port): \(errnoText())")
        }
        try wait(fd, events: Int16(POLLOUT), deadline: deadline, timeout: timeout)
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
        guard error == 0 else {
            throw WebSocketClientError.connectFailed("\(endpoint.host):\(endpoint.port): \(String(cString: strerror(error)))")
        }
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8], deadline: ContinuousClock.Instant, timeout: Duration) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n > 0 {
                offset += n
            } else if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
                try wait(fd, events: Int16(POLLOUT), deadline: deadline, timeout: timeout)
            } else {
                throw WebSocketClientError.connectionLost("sending the handshake: \(errnoText())")
            }
        }
    }

    private static func readHead(_ fd: Int32, deadline: ContinuousClock.Instant, timeout: Duration) throws -> (String, [UInt8]) {
        var data: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        let terminator: [UInt8] = [13, 10, 13, 10]
        while true {
            if let end = firstRange(of: terminator, in: data) {
                // Give a refusal's body a brief chance to arrive so the error can quote it.
                var rest = Array(data[(end + 4)...])
                let head = String(decoding: data[..<end], as: UTF8.self)
                if !head.hasPrefix("HTTP/1.1 101") && !head.hasPrefix("HTTP/1.0 101") && rest.isEmpty {
                    let quick = min(deadline, ContinuousClock.now + .milliseconds(100))
                    if (try? wait(fd, events: Int16(POLLIN), deadline: quick, timeout: timeout)) != nil {
                        let n = recv(fd, &chunk, chunk.count, 0)
                        if n > 0 { rest = Array(chunk[0..<n]) }
                    }
                }
                return (head, rest)
            }
            guard data.count < maxHeadBytes else {
                throw WebSocketClientError.invalidHandshake("response head exceeds \(maxHeadBytes) bytes")
            }
            try wait(fd, events: Int16(POLLIN), deadline: deadline, timeout: timeout)
            let n = recv(fd, &chunk, chunk.count, 0)
            if n > 0 {
                data.append(contentsOf: chunk[0..<n])
            } else if n == 0 {
                throw WebSocketClientError.connectionLost("the server closed the connection during the handshake")
            } else if errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR {
                throw WebSocketClientError.connectionLost("reading the handshake: \(errnoText())")
            }
        }
    }

    private static func firstRange(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for i in 0...(haystack.count - needle.count) where haystack[i] == needle[0] {
            if Array(haystack[i..<(i + needle.count)]) == needle { return i }
        }
        return nil
    }

    /// Polls one descriptor until it is ready or the deadline passes.
    private static func wait(_ fd: Int32, events: Int16, deadline: ContinuousClock.Instant, timeout: Duration) throws {
        while true {
            let remaining = ContinuousClock.now.duration(to: deadline)
            guard remaining > .zero else { throw WebSocketClientError.handshakeTimedOut(timeout) }
            let ms = Int32(min(remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000 + 1, 1000))
            var p = pollfd(fd: fd, events: events, revents: 0)
            let r = poll(&p, 1, ms)
            if r > 0 { return }
            if r < 0 && errno != EINTR { throw WebSocketClientError.connectFailed("poll: \(errnoText())") }
        }
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }
}
