import Foundation
import Synchronization

@testable import CRI

/// The server side of HTTP/2, played byte by byte by a test script: a listening unix socket in a temporary
/// directory, and per accepted connection blocking reads and writes of whole frames (every wait bounded).
///
/// Why: containerd never sends RST_STREAM, GOAWAY, trailers-only errors, tiny windows, CONTINUATION or malformed
/// frames on its own; the wire client must still handle them.
final class ScriptedHTTP2Peer: Sendable {
    private let directory: String?
    /// Where the client connects.
    let target: GRPCTarget
    private let listener: Int32

    /// A peer on a unix socket in a temporary directory.
    init() throws {
        let directory = NSTemporaryDirectory() + "h2peer-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/peer.sock"
        listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
        try Self.bindAndListen(listener, address)
        self.directory = directory
        target = .unixSocket(path: path)
    }

    /// A peer on a free TCP port of the loopback address `host` (`127.0.0.1` or `::1`).
    init(loopback host: String) throws {
        directory = nil
        if host.contains(":") {
            listener = socket(AF_INET6, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            inet_pton(AF_INET6, host, &address.sin6_addr)
            try Self.bindAndListen(listener, address)
        } else {
            listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            inet_pton(AF_INET, host, &address.sin_addr)
            try Self.bindAndListen(listener, address)
        }
        // The port the kernel chose: sin_port and sin6_port sit at the same offset.
        let fd = listener
        var bound = sockaddr_in6()
        var length = socklen_t(MemoryLayout<sockaddr_in6>.size)
        _ = withUnsafeMutablePointer(to: &bound) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        target = .tcp(host: host, port: Int(UInt16(bigEndian: bound.sin6_port)))
    }

    private static func bindAndListen<Address>(_ fd: Int32, _ address: Address) throws {
        var address = address
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<Address>.size)) }
        }
        guard bound == 0, listen(fd, 8) == 0 else { throw PeerError("bind/listen: \(errno)") }
    }

    /// A client for this peer.
    func client(_ options: GRPCUnaryClient.Options = .init()) -> GRPCUnaryClient {
        GRPCUnaryClient(target: target, options: options)
    }

    /// Runs `script` on a thread of its own with each of `connections` accepted connections in turn; `wait()`
    /// returns its error, if any.
    func serve(connections: Int = 1, _ script: @escaping @Sendable (Int, PeerConnection) throws -> Void) -> PeerRun {
        let run = PeerRun()
        let listener = self.listener
        Thread.detachNewThread {
            do {
                for index in 0..<connections {
                    var entry = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
                    guard poll(&entry, 1, 10_000) == 1 else { throw PeerError("no connection within 10 s") }
                    let fd = accept(listener, nil, nil)
                    guard fd >= 0 else { throw PeerError("accept: \(errno)") }
                    let connection = PeerConnection(fd: fd)
                    defer { connection.close() }
                    try script(index, connection)
                }
                run.finish(nil)
            } catch {
                run.finish(error)
            }
        }
        return run
    }

    /// Closes the listener and removes the socket's directory.
    func shutdown() {
        close(listener)
        if let directory { try? FileManager.default.removeItem(atPath: directory) }
    }
}

/// The outcome of a peer script.
final class PeerRun: Sendable {
    private let state = Mutex<(done: Bool, error: String?, waiter: CheckedContinuation<String?, Never>?)>((false, nil, nil))

    func finish(_ error: (any Error)?) {
        let waiter = state.withLock { state in
            state.done = true
            state.error = error.map { "\($0)" }
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: error.map { "\($0)" })
    }

    /// The script's error message, or nil when it completed.
    func wait() async -> String? {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state in
                if !state.done { state.waiter = continuation }
                return state.done ? Optional(state.error) : nil
            }
            if let done { continuation.resume(returning: done) }
        }
    }
}

/// A failed expectation inside a peer script.
struct PeerError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A request as the peer received it.
struct PeerRequest {
    var stream: UInt32
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    func header(_ name: String) -> String? { headers.first { $0.name == name }?.value }
    /// The gRPC message inside the body (without the 5-byte prefix).
    var message: [UInt8] { Array(body.dropFirst(5)) }
}

/// One accepted connection, driven by the script.
final class PeerConnection: @unchecked Sendable {
    let fd: Int32
    private var decoder = HTTP2FrameDecoder()
    private var hpack = HeaderBlockDecoder()
    /// Frames read but not yet taken by the script.
    private(set) var seen: [HTTP2Frame] = []

    init(fd: Int32) {
        self.fd = fd
    }

    private var closed = false

    /// Closes the socket (once; the script may close it early to drop the connection).
    func close() {
        guard !closed else { return }
        closed = true
        Glibc.close(fd)
    }

    /// Reads the client preface and its SETTINGS, then sends `settings` (and an ACK of the client's).
    @discardableResult
    func handshake(settings: [HTTP2Setting] = []) throws -> [HTTP2Setting] {
        let preface = try readExactly(HTTP2Limits.clientPreface.count)
        guard preface == HTTP2Limits.clientPreface else { throw PeerError("bad preface \(preface)") }
        let clientSettings = try nextFrame { if case .settings(false, let p) = $0 { return p } else { return nil } }
        write([.settings(ack: false, parameters: settings), .settings(ack: true, parameters: [])])
        return clientSettings
    }

    /// Frames until `match` accepts one; the others (WINDOW_UPDATE, ACKs) are kept in `seen`.
    func nextFrame<T>(timeout: Int32 = 10_000, _ match: (HTTP2Frame) -> T?) throws -> T {
        while true {
            let frame = try readFrame(timeout: timeout)
            if let value = match(frame) { return value }
            seen.append(frame)
        }
    }

    /// The next complete request (HEADERS + CONTINUATION + DATA up to END_STREAM) on any stream.
    func readRequest(timeout: Int32 = 10_000) throws -> PeerRequest {
        var partial: [UInt32: PeerRequest] = [:]
        while true {
            switch try readFrame(timeout: timeout) {
            case .headers(let stream, var block, let endStream, var endHeaders):
                while !endHeaders {
                    guard case .continuation(stream, let more, let end) = try readFrame(timeout: timeout) else {
                        throw PeerError("expected CONTINUATION")
                    }
                    block += more
                    endHeaders = end
                }
                let request = PeerRequest(stream: stream, headers: try hpack.decode(block), body: [])
                if endStream { return request }
                partial[stream] = request
            case .data(let stream, let payload, let endStream, _):
                guard var request = partial[stream] else { throw PeerError("DATA for unknown stream \(stream)") }
                request.body += payload
                if endStream { return request }
                partial[stream] = request
            case let other:
                seen.append(other)
            }
        }
    }

    /// Writes frames.
    func write(_ frames: [HTTP2Frame], padding: UInt8? = nil) {
        var encoder = HTTP2FrameEncoder()
        for frame in frames { encoder.append(frame, padding: padding) }
        writeRaw(encoder.bytes)
    }

    /// Writes bytes as they are.
    func writeRaw(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            if written <= 0 { return }
            offset += written
        }
    }

    /// A response header block (literal encoding) for `fields`.
    static func block(_ fields: [(String, String)]) -> [UInt8] {
        var bytes: [UInt8] = []
        for (name, value) in fields { HPACKLiteralEncoder.literal(name: name, value: value, into: &bytes) }
        return bytes
    }

    /// The frames of a whole successful response carrying `message`.
    static func okResponse(stream: UInt32, message: [UInt8]) -> [HTTP2Frame] {
        [
            .headers(stream: stream, block: block([(":status", "200"), ("content-type", "application/grpc")]),
                     endStream: false, endHeaders: true),
            .data(stream: stream, payload: grpcFramed(message), endStream: false, paddedLength: 0),
            .headers(stream: stream, block: block([("grpc-status", "0")]), endStream: true, endHeaders: true),
        ]
    }

    /// `message` with the 5-byte gRPC prefix.
    static func grpcFramed(_ message: [UInt8], compressed: Bool = false, length: Int? = nil) -> [UInt8] {
        let count = UInt32(length ?? message.count)
        return [compressed ? 1 : 0, UInt8(count >> 24), UInt8(count >> 16 & 0xFF), UInt8(count >> 8 & 0xFF),
                UInt8(count & 0xFF)] + message
    }

    /// The next frame, waiting at most `timeout` ms.
    func readFrame(timeout: Int32 = 10_000) throws -> HTTP2Frame {
        while true {
            if let frame = try decoder.next() { return frame }
            let bytes = try readSome(timeout: timeout)
            guard !bytes.isEmpty else { throw PeerError("the client closed the connection") }
            decoder.append(bytes)
        }
    }

    /// True when the client closes the connection within `timeout` ms (frames before that are kept in `seen`).
    func waitForClose(timeout: Int32 = 5_000) -> Bool {
        while true {
            do {
                seen.append(try readFrame(timeout: timeout))
            } catch {
                return "\(error)".contains("closed")
            }
        }
    }

    private func readExactly(_ count: Int) throws -> [UInt8] {
        var bytes: [UInt8] = []
        while bytes.count < count {
            var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&entry, 1, 10_000) == 1 else { throw PeerError("timed out reading") }
            var byte: UInt8 = 0
            guard read(fd, &byte, 1) == 1 else { throw PeerError("closed while reading the preface") }
            bytes.append(byte)
        }
        return bytes
    }

    private func readSome(timeout: Int32) throws -> [UInt8] {
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&entry, 1, timeout) == 1 else { throw PeerError("timed out waiting for a frame") }
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard count >= 0 else { throw PeerError("read: \(errno)") }
        return Array(buffer.prefix(count))
    }
}
