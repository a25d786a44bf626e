/// An IPv4 network in CIDR notation, e.g. `10.244.0.0/16`, as given to `--pod-cidr`.
public struct IPv4CIDR: Sendable, Hashable, CustomStringConvertible {
    /// The network address (host bits cleared), as a 32-bit number.
    public let network: UInt32
    /// The prefix length, 0...32.
    public let prefixLength: Int

    /// Parses `a.b.c.d/n`. The host bits must be zero, so a typo like `10.244.1.0/16` is caught instead of
    /// silently widened.
    /// - Throws: `ManagedRuntimeError` `.invalidConfiguration` with the reason.
    public init(parsing text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let prefix = Int(parts[1]), (0...32).contains(prefix) else {
            throw ManagedRuntimeError(.invalidConfiguration, "pod CIDR \"\(text)\" is not of the form a.b.c.d/n")
        }
        let octets = parts[0].split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else {
            throw ManagedRuntimeError(.invalidConfiguration, "pod CIDR \"\(text)\" is not an IPv4 network")
        }
        var address: UInt32 = 0
        for octet in octets {
            guard octet.count <= 3, octet.allSatisfy(\.isASCII), let value = UInt8(octet) else {
                throw ManagedRuntimeError(.invalidConfiguration, "pod CIDR \"\(text)\" has an invalid octet \"\(octet)\"")
            }
            address = address << 8 | UInt32(value)
        }
        guard prefix <= 30 else {
            // A /31 or /32 leaves no room for a gateway and a pod.
            throw ManagedRuntimeError(.invalidConfiguration, "pod CIDR \"\(text)\" is too small: use a prefix of /30 or shorter")
        }
        let mask: UInt32 = prefix == 0 ? 0 : UInt32.max << (32 - UInt32(prefix))
        guard address & ~mask == 0 else {
            throw ManagedRuntimeError(
                .invalidConfiguration,
                "pod CIDR \"\(text)\" has host bits set; did you mean \(Self.format(address & mask))/\(prefix)?")
        }
        self.network = address
        self.prefixLength = prefix
    }

    /// The first host address, used as the bridge's gateway address.
    public var gateway: String { Self.format(network + 1) }

    /// `a.b.c.d/n`.
    public var description: String { "\(Self.format(network))/\(prefixLength)" }

    static func format(_ address: UInt32) -> String {
        [24, 16, 8, 0].map { String((address >> UInt32($0)) & 0xff) }.joined(separator: ".")
    }
}
