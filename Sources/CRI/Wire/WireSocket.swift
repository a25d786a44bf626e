import CSystemSupport
import Glibc

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
            return try connect(family: AF_UNIX, address: address)
        case .tcp(let host, let port):
            guard (1...65535).contains(port) else { throw Failure(operation: "port \(port)", code: EINVAL) }
            var v4 = sockaddr_in()
            if inet_pton(AF_INET, host, &v4.sin_addr) == 1 {
                v4.sin_family = sa_family_t(AF_INET)
                v4.sin_port = in_port_t(UInt16(port).bigEndian)
                return try connect(family: AF_INET, address: v4)
            }
            var v6 = sockaddr_in6()
            if inet_pton(AF_INET6, host, &v6.sin6_addr) == 1 {
                v6.sin6_family = sa_family_t(AF_INET6)
                v6.sin6_port = in_port_t(UInt16(port).bigEndian)
                return try connect(family: AF_INET6, address: v6)
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
    static func signal(_ eventFD: Int32) {
        var one: UInt64 = 1
        _ = withUnsafeBytes(of: &one) { Glibc.write(eventFD, $0.baseAddress, 8) }
    }

    /// Resets `eventFD` after a wake.
    static func drain(_ eventFD: Int32) {
        var value: UInt64 = 0
        _ = withUnsafeMutableBytes(of: &value) { Glibc.read(eventFD, $0.baseAddress, 8) }
    }

    private static func connect<Address>(family: Int32, address: Address) throws(Failure) -> (fd: Int32, inProgress: Bool) {
        let fd = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure(operation: "socket", code: errno) }
        if family != AF_UNIX {
            // Requests are written whole; Nagle would only hold the last segment back for an ACK.
            var on: Int32 = 1
            _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
        }
        var address = address
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<Address>.size))
            }
        }
        if rc == 0 { return (fd, false) }
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
        switch first.pointee.ai_family {
        case AF_INET:
            guard let address = first.pointee.ai_addr?.withMemoryRebound(to: sockaddr_in.self, capacity: 1, { $0.pointee })
            else { break }
            return try connect(family: AF_INET, address: address)
        case AF_INET6:
            guard let address = first.pointee.ai_addr?.withMemoryRebound(to: sockaddr_in6.self, capacity: 1, { $0.pointee })
            else { break }
            return try connect(family: AF_INET6, address: address)
        default:
            break
        }
        throw Failure(operation: "resolve \(host)", code: EAFNOSUPPORT)
    }
}
