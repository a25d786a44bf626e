import CLibevent
import Foundation

/// One HTTP/1.1 keep-alive connection over TLS to a loopback port (or plain HTTP over a unix socket, for Podman's
/// service), with blocking calls.
///
/// The benchmark measures latency from "request sent" to an event seen on another connection; a persistent
/// connection keeps handshakes and process spawns out of that interval. Blocking calls keep the client simple:
/// every connection is used by one thread at a time (the benchmark hands it between threads, never shares it), and
/// `shutdownSocket()` is the only call that may come from another thread, to end a blocking read.
final class HTTPSConnection: @unchecked Sendable {
    /// A parsed response.
    struct Response {
        var status: Int
        var headers: [String: String]
        var body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    private let context: OpaquePointer?
    private let ssl: OpaquePointer?
    private let fd: Int32
    private let host: String
    private var buffer: [UInt8] = []
    private var bufferStart = 0
    /// While a chunked body is streamed (a watch), the bytes left in the current chunk.
    private var chunkRemaining = 0
    private var streamEnded = false

    /// Connects and completes the TLS handshake, verifying the server against `caFile`.
    /// - Parameter readTimeoutSeconds: bound on every blocking read (a silent server fails the call, never hangs it).
    init(port: Int, caFile: String, readTimeoutSeconds: Int = 60) throws {
        // A peer that closed the connection must fail the next write with EPIPE, not kill the benchmark.
        swiftlet_ignore_sigpipe()
        host = "127.0.0.1:\(port)"
        guard let method = TLS_client_method(), let context = SSL_CTX_new(method) else {
            throw BenchmarkError(message: "SSL_CTX_new failed")
        }
        self.context = context
        guard SSL_CTX_load_verify_locations(context, caFile, nil) == 1 else {
            SSL_CTX_free(context)
            throw BenchmarkError(message: "cannot load the CA certificate \(caFile)")
        }
        SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        guard fd >= 0 else {
            SSL_CTX_free(context)
            throw BenchmarkError(message: "socket() failed: errno \(errno)")
        }
        var timeout = timeval(tv_sec: readTimeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port)).bigEndian
        address.sin_addr.s_addr = in_addr_t(0x7f00_0001).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0, let ssl = SSL_new(context) else {
            let code = errno
            close(fd)
            SSL_CTX_free(context)
            throw BenchmarkError(message: "cannot connect to 127.0.0.1:\(port): errno \(code)")
        }
        self.ssl = ssl
        SSL_set_fd(ssl, fd)
        guard SSL_connect(ssl) == 1 else {
            let reason = Self.lastError()
            SSL_free(ssl)
            close(fd)
            SSL_CTX_free(context)
            throw BenchmarkError(message: "TLS handshake with 127.0.0.1:\(port) failed: \(reason)")
        }
    }

    /// Connects to a plain-HTTP server on a unix socket (Podman's REST service).
    init(unixSocket path: String, readTimeoutSeconds: Int = 60) throws {
        swiftlet_ignore_sigpipe()
        host = "d"
        context = nil
        ssl = nil
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        guard fd >= 0 else { throw BenchmarkError(message: "socket() failed: errno \(errno)") }
        var timeout = timeval(tv_sec: readTimeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            close(fd)
            throw BenchmarkError(message: "unix socket path too long: \(path)")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else {
            let code = errno
            close(fd)
            throw BenchmarkError(message: "cannot connect to \(path): errno \(code)")
        }
    }

    deinit {
        SSL_free(ssl)
        close(fd)
        SSL_CTX_free(context)
    }

    /// Ends any blocking read on this connection from another thread.
    func shutdownSocket() {
        shutdown(fd, Int32(SHUT_RDWR))
    }

    /// Sends a request and returns the monotonic time (ns) just before its first byte went out.
    @discardableResult
    func send(method: String, path: String, token: String?, body: [UInt8]? = nil, contentType: String = "application/json") throws -> UInt64 {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: \(host)\r\n"
        if let token { head += "Authorization: Bearer \(token)\r\n" }
        if let body {
            head += "Content-Type: \(contentType)\r\nContent-Length: \(body.count)\r\n"
        }
        head += "\r\n"
        var bytes = Array(head.utf8)
        if let body { bytes += body }
        let sentAt = monotonicNanos()
        try writeAll(bytes)
        return sentAt
    }

    /// One request and its complete response (Content-Length or chunked body).
    func request(method: String, path: String, token: String?, body: [UInt8]? = nil, contentType: String = "application/json") throws -> Response {
        try send(method: method, path: path, token: token, body: body, contentType: contentType)
        return try readResponse()
    }

    /// Reads a status line, headers and a whole body.
    func readResponse() throws -> Response {
        var response = try readHead()
        if response.headers["transfer-encoding"]?.lowercased() == "chunked" {
            while let chunk = try readChunk() { response.body += chunk }
        } else {
            let length = Int(response.headers["content-length"] ?? "0") ?? 0
            response.body = try readExactly(length)
        }
        return response
    }

    /// Reads a status line and headers only; the body follows through `readLine()` (a streamed watch).
    func readHead() throws -> Response {
        var lines: [String] = []
        while true {
            let line = try readRawLine()
            if line.isEmpty { break }
            lines.append(String(decoding: line, as: UTF8.self))
            guard lines.count < 200 else { throw BenchmarkError(message: "more than 200 response header lines") }
        }
        guard let statusLine = lines.first, statusLine.hasPrefix("HTTP/1."),
              let status = Int(statusLine.split(separator: " ").dropFirst().first ?? "") else {
            throw BenchmarkError(message: "bad status line: \(lines.first ?? "<none>")")
        }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        chunkRemaining = 0
        streamEnded = false
        return Response(status: status, headers: headers, body: [])
    }

    /// The next newline-terminated line of a chunked streamed body, without the newline; nil at the end.
    func readStreamLine() throws -> [UInt8]? {
        var line: [UInt8] = []
        while true {
            if chunkRemaining == 0 {
                if streamEnded { return line.isEmpty ? nil : line }
                guard let size = try readChunkSize() else {
                    streamEnded = true
                    return line.isEmpty ? nil : line
                }
                chunkRemaining = size
                continue
            }
            try fill(minimum: 1)
            let available = min(chunkRemaining, buffer.count - bufferStart)
            let slice = buffer[bufferStart..<(bufferStart + available)]
            if let newline = slice.firstIndex(of: UInt8(ascii: "\n")) {
                line += buffer[bufferStart..<newline]
                let consumed = newline + 1 - bufferStart
                consume(consumed)
                chunkRemaining -= consumed
                if chunkRemaining == 0 { try finishChunk() }
                return line
            }
            line += slice
            consume(available)
            chunkRemaining -= available
            if chunkRemaining == 0 { try finishChunk() }
        }
    }

    // MARK: - Chunked framing

    private func readChunk() throws -> [UInt8]? {
        guard let size = try readChunkSize() else { return nil }
        let bytes = try readExactly(size)
        try finishChunk()
        return bytes
    }

    /// Reads a chunk-size line; nil for the last (zero) chunk, whose trailer is consumed too.
    private func readChunkSize() throws -> Int? {
        let line = String(decoding: try readRawLine(), as: UTF8.self)
        guard let size = Int(line.split(separator: ";").first ?? "", radix: 16) else {
            throw BenchmarkError(message: "bad chunk size line: \(line)")
        }
        if size == 0 {
            while try !readRawLine().isEmpty {}
            return nil
        }
        return size
    }

    private func finishChunk() throws {
        guard try readRawLine().isEmpty else { throw BenchmarkError(message: "chunk not followed by CRLF") }
    }

    // MARK: - Buffered reads

    private func readRawLine() throws -> [UInt8] {
        while true {
            if let newline = buffer[bufferStart...].firstIndex(of: UInt8(ascii: "\n")) {
                var line = Array(buffer[bufferStart..<newline])
                consume(newline + 1 - bufferStart)
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                return line
            }
            guard buffer.count - bufferStart < 1 << 20 else { throw BenchmarkError(message: "line longer than 1 MiB") }
            try readMore()
        }
    }

    private func readExactly(_ count: Int) throws -> [UInt8] {
        try fill(minimum: count)
        let bytes = Array(buffer[bufferStart..<(bufferStart + count)])
        consume(count)
        return bytes
    }

    private func fill(minimum: Int) throws {
        while buffer.count - bufferStart < minimum { try readMore() }
    }

    private func consume(_ count: Int) {
        bufferStart += count
        if bufferStart == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            bufferStart = 0
        }
    }

    private func readMore() throws {
        if bufferStart > 0 {
            buffer.removeFirst(bufferStart)
            bufferStart = 0
        }
        var chunk = [UInt8](repeating: 0, count: 16384)
        let count = chunk.withUnsafeMutableBytes { raw -> Int in
            if let ssl { return Int(SSL_read(ssl, raw.baseAddress, Int32(raw.count))) }
            return read(fd, raw.baseAddress, raw.count)
        }
        guard count > 0 else {
            throw BenchmarkError(message: "connection to \(host) closed or timed out while reading (\(Self.lastError()))")
        }
        buffer += chunk[0..<Int(count)]
    }

    private func writeAll(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { raw -> Int in
                if let ssl { return Int(SSL_write(ssl, raw.baseAddress, Int32(raw.count))) }
                return write(fd, raw.baseAddress, raw.count)
            }
            guard written > 0 else { throw BenchmarkError(message: "write to \(host) failed (\(Self.lastError()))") }
            offset += Int(written)
        }
    }

    private static func lastError() -> String {
        let code = ERR_get_error()
        guard code != 0 else { return "errno \(errno)" }
        var text = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &text, text.count)
        return String(decoding: text.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// CLOCK_MONOTONIC in nanoseconds: one clock for every timestamp, on every thread.
func monotonicNanos() -> UInt64 {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
}

/// Runs blocking work on a fresh thread, never on Swift's cooperative pool (two threads on these machines: a
/// blocking read there would stall the gRPC client's continuations).
func onThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try work() }) }
        thread.stackSize = 1 << 20
        thread.start()
    }
}
