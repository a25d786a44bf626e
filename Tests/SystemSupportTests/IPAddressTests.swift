import Glibc
import SystemSupport
import Testing

@Suite("IPAddress: literals and the socket addresses they give")
struct IPAddressTests {
    @Test("IPv4 and IPv6 literals parse; names, brackets, zones and garbage do not")
    func parsing() {
        #expect(IPAddress("10.0.0.7")?.family == AF_INET)
        #expect(IPAddress("::1")?.family == AF_INET6)
        #expect(IPAddress("fd00::a:1")?.family == AF_INET6)
        for text in ["localhost", "[::1]", "fe80::1%eth0", "10.0.0", "10.0.0.256", "", " 10.0.0.7"] {
            #expect(IPAddress(text) == nil, "\(text) parsed")
        }
    }

    @Test("the socket address carries family, port in network order and the address bytes")
    func socketAddress() throws {
        let v4 = try #require(IPAddress("127.0.0.2"))
        let (family, port, length, bytes) = v4.withSocketAddress(port: 8080) { pointer, length in
            pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                (Int32($0.pointee.sin_family), UInt16(bigEndian: $0.pointee.sin_port), length,
                 withUnsafeBytes(of: $0.pointee.sin_addr) { Array($0) })
            }
        }
        #expect(family == AF_INET && port == 8080 && length == Int32(MemoryLayout<sockaddr_in>.size))
        #expect(bytes == [127, 0, 0, 2])

        let v6 = try #require(IPAddress("::1"))
        let (family6, port6, length6, last) = v6.withSocketAddress(port: 443) { pointer, length in
            pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                (Int32($0.pointee.sin6_family), UInt16(bigEndian: $0.pointee.sin6_port), length,
                 withUnsafeBytes(of: $0.pointee.sin6_addr) { $0.last })
            }
        }
        #expect(family6 == AF_INET6 && port6 == 443 && length6 == Int32(MemoryLayout<sockaddr_in6>.size))
        #expect(last == 1)
    }
}
