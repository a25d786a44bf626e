import FoundationEssentials

/// The default CNI network of a managed containerd: a `bridge` with `host-local` IPAM on the pod CIDR, chained
/// with `portmap` for `hostPort`s. (containerd sets up each pod's `lo` itself with the `loopback` plugin from the
/// bin dir, so loopback is checked for by `Preflight` but is not part of this chain.)
public struct CNINetworkConfig: Sendable, Hashable {
    /// The file name Swiftlet writes and owns in the conf dir.
    public static let fileName = "10-swiftlet.conflist"

    /// The network name. It appears in the comments of the iptables rules the plugins add, which lets a
    /// teardown find them.
    public var networkName: String
    /// The Linux bridge (at most 15 bytes).
    public var bridgeName: String
    /// The pods' network.
    public var podCIDR: IPv4CIDR
    /// host-local's allocation dir.
    public var ipamDataDirectory: String

    /// Creates a network config.
    /// - Throws: `ManagedRuntimeError` `.invalidConfiguration` for an interface name Linux would refuse.
    public init(networkName: String, bridgeName: String, podCIDR: IPv4CIDR, ipamDataDirectory: String) throws {
        guard !bridgeName.isEmpty, bridgeName.utf8.count <= 15,
            bridgeName.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") })
        else {
            throw ManagedRuntimeError(
                .invalidConfiguration, "bridge name \"\(bridgeName)\" must be 1-15 letters, digits, '-', '_' or '.'")
        }
        guard !networkName.isEmpty,
            networkName.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") })
        else {
            throw ManagedRuntimeError(
                .invalidConfiguration, "CNI network name \"\(networkName)\" must be letters, digits, '-', '_' or '.'")
        }
        self.networkName = networkName
        self.bridgeName = bridgeName
        self.podCIDR = podCIDR
        self.ipamDataDirectory = ipamDataDirectory
    }

    /// The conflist as JSON (sorted keys, so the file only changes when a value does).
    public func render() -> String {
        let conflist = Conflist(
            cniVersion: "1.0.0",
            name: networkName,
            plugins: [
                Plugin(
                    type: "bridge", bridge: bridgeName, isGateway: true, ipMasq: true, hairpinMode: true,
                    ipam: IPAM(
                        type: "host-local",
                        ranges: [[IPAMRange(subnet: podCIDR.description, gateway: podCIDR.gateway)]],
                        routes: [Route(dst: "0.0.0.0/0")],
                        dataDir: ipamDataDirectory),
                    capabilities: nil),
                Plugin(
                    type: "portmap", bridge: nil, isGateway: nil, ipMasq: nil, hairpinMode: nil, ipam: nil,
                    capabilities: ["portMappings": true]),
            ])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings, bools and arrays cannot fail.
        let data = (try? encoder.encode(conflist)) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    private struct Conflist: Encodable {
        var cniVersion: String
        var name: String
        var plugins: [Plugin]
    }

    private struct Plugin: Encodable {
        var type: String
        var bridge: String?
        var isGateway: Bool?
        var ipMasq: Bool?
        var hairpinMode: Bool?
        var ipam: IPAM?
        var capabilities: [String: Bool]?
    }

    private struct IPAM: Encodable {
        var type: String
        var ranges: [[IPAMRange]]
        var routes: [Route]
        var dataDir: String
    }

    private struct IPAMRange: Encodable {
        var subnet: String
        var gateway: String
    }

    private struct Route: Encodable {
        var dst: String
    }
}
