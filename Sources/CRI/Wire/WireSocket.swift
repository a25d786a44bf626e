import CSystemSupport
import Glibc
import SystemSupport

/// The socket calls under an HTTP/2 connection: a non-blocking stream socket to a `GRPCTarget`, sends bounded
/// in time, and an eventfd that wakes the connection's reader thread out of poll(2).
///
/// Non-blocking throughout: the reader waits in poll with a timeout (the nearest call deadline), and a sender
/// that finds the socket buffer full waits in poll no longer than its own bound, so a peer that stops reading
/// cannot hold a caller forever.
enum WireSocket {
    /// A socket error with the operation that failed and errno's text.
    struct Failure: Error, Sendable, CustomStringConvertible {
        var operation: String
        var code: Int32

        var description: String {
            let text = strerror(code).map { String(cString: $0) } ?? "error \(code)"
            return "\(operation): \(text)"
        }
    }

    /// Starts connecting a non-blocking socket to `target`. Returns the descriptor and whether the connect is
    /// still in progress (TCP; wait for POLLOUT, then `connectResult`).
    static func startConnect(to target: GRPCTarget) throws(Failure) -> (fd: Int32, inProgress: Bool) {
        switch target {
        case .unixSocket(let path):
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            let pathBytes = Array(path.utf8)
            let capacity = MemoryLayout.size(ofValue: address.sun_path)
            guard pathBytes.count < capacity else { throw Failure(operation: "socket path too long", code: ENAMETOOLONG) }
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                raw.copyBytes(from: pathBytes)
            }
            return try withUnsafePointer(to: &address) { (pointer) throws(Failure) in
                try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { (raw) throws(Failure) in
                    try connect(family: AF_UNIX, address: raw, length: socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
        case .tcp(let host, let port):
            guard (1...65535).contains(port) else { throw Failure(operation: "port \(port)", code: EINVAL) }
            if let address = IPAddress(host) {
                return try address.withSocketAddress(port: port) { (pointer, length) throws(Failure) in
                    try connect(family: address.family, address: pointer, length: socklen_t(length))
                }
            }
            return try connect(resolving: host, port: port)
        }
    }

    /// The outcome of a connect that was in progress, once the socket is writable.
    static func connectResult(_ fd: Int32) -> Failure? {
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        if getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0 { return Failure(operation: "connect", code: errno) }
        return error == 0 ? nil : Failure(operation: "connect", code: error)
    }

    /// Sends all of `bytes`, waiting in poll while the socket buffer is full, but not past `deadline`
    /// (monotonic ns). Returns the failure, if any: then part of a frame may be sent and the connection is
    /// unusable. (A result rather than a throw: it is called inside lock closures.)
    static func send(_ fd: Int32, _ bytes: [UInt8], deadline: UInt64) -> Failure? {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { raw in
                Glibc.send(fd, raw.baseAddress.map { $0 + offset }, raw.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent > 0 {
                offset += sent
                continue
            }
            let code = errno
            if sent < 0, code == EINTR { continue }
            guard sent < 0, code == EAGAIN || code == EWOULDBLOCK else {
                return Failure(operation: "send", code: sent == 0 ? EPIPE : code)
            }
            let now = MonotonicTime.now()
            guard now < deadline else { return Failure(operation: "send (the peer is not reading)", code: ETIMEDOUT) }
            var entry = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            _ = poll(&entry, 1, MonotonicTime.pollTimeout(until: deadline, now: now))
        }
        return nil
    }

    /// Reads what is available into `buffer`: the byte count, 0 at end of stream, or nil when nothing is
    /// available now.
    static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) throws(Failure) -> Int? {
        while true {
            let count = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if count >= 0 { return count }
            let code = errno
            if code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK { return nil }
            throw Failure(operation: "read", code: code)
        }
    }

    /// A non-blocking eventfd for waking the reader.
    static func makeEventFD() throws(Failure) -> Int32 {
        let fd = swiftlet_make_eventfd()
        guard fd >= 0 else { throw Failure(operation: "eventfd", code: errno) }
        return fd
    }

    /// Makes `eventFD` readable (wakes a poll on it).
    static func signal(_ eventFD: Int32) { swiftlet_eventfd_signal(eventFD) }

    /// Resets `eventFD` after a wake.
    static func drain(_ eventFD: Int32) { swiftlet_eventfd_drain(eventFD) }

    private static func connect(
        family: Int32, address: UnsafePointer<sockaddr>, length: socklen_t
    ) throws(Failure) -> (fd: Int32, inProgress: Bool) {
        let fd = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure(operation: "socket", code: errno) }
        if family != AF_UNIX {
            // Requests are written whole; Nagle would only hold the last segment back for an ACK.
            var on: Int32 = 1
            _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
        }
        if Glibc.connect(fd, address, length) == 0 { return (fd, false) }
        let code = errno
        if code == EINPROGRESS { return (fd, true) }
        Glibc.close(fd)
        throw Failure(operation: "connect", code: code)
    }

    /// A host name: the first address getaddrinfo gives (the prober's hosts are IP literals; this is for names
    /// such as `localhost`). Blocks, which is why connects run on the connection's own thread.
    private static func connect(resolving host: String, port: Int) throws(Failure) -> (fd: Int32, inProgress: Bool) {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV
        var result: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &result)
        guard rc == 0, let first = result else {
            throw Failure(operation: "resolve \(host): \(String(cString: gai_strerror(rc)))", code: EHOSTUNREACH)
        }
        defer { freeaddrinfo(result) }
        let family = first.pointee.ai_family
        if family == AF_INET || family == AF_INET6, let address = first.pointee.ai_addr {
            return try connect(family: family, address: address, length: first.pointee.ai_addrlen)
        }
        throw Failure(operation: "resolve \(host)", code: EAFNOSUPPORT)
    }
}
