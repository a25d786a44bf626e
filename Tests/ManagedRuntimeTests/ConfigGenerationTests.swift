import Foundation
import ManagedRuntime
import Testing

/// The generated containerd config, CNI conflist and registry hosts, read back with parsers.
@Suite struct ConfigGenerationTests {
    static let cri = "io.containerd.grpc.v1.cri"

    func makeConfig(root: String = "/var/lib/swiftlet", restrict: Bool = true) -> ContainerdConfig {
        ContainerdConfig(
            paths: ContainerdPaths(rootDirectory: root), sandboxImage: "127.0.0.1:5000/pause:3.9",
            restrictOOMScoreAdj: restrict, cniBinDirectory: "/usr/lib/cni")
    }

    @Test func configHasPrivatePathsAndCRISettings() throws {
        let toml = try MiniTOML(makeConfig().render())
        let base = "/var/lib/swiftlet/containerd"
        #expect(toml["version"] == .integer(2))
        #expect(toml["root"] == .string(base + "/root"))
        #expect(toml["state"] == .string(base + "/state"))
        #expect(toml["grpc", "address"] == .string(base + "/containerd.sock"))
        #expect(toml["ttrpc", "address"] == .string(base + "/containerd.sock.ttrpc"))
        #expect(toml["plugins", "io.containerd.internal.v1.opt", "path"] == .string(base + "/opt"))
        #expect(toml["plugins", Self.cri, "sandbox_image"] == .string("127.0.0.1:5000/pause:3.9"))
        #expect(toml["plugins", Self.cri, "restrict_oom_score_adj"] == .bool(true))
        #expect(toml["plugins", Self.cri, "stream_server_address"] == .string("127.0.0.1"))
        #expect(toml["plugins", Self.cri, "stream_server_port"] == .string("0"))
        #expect(toml["plugins", Self.cri, "netns_mounts_under_state_dir"] == .bool(true))
        #expect(toml["plugins", Self.cri, "containerd", "runtimes", "runc", "runtime_type"] == .string("io.containerd.runc.v2"))
        #expect(toml["plugins", Self.cri, "containerd", "runtimes", "runc", "options", "SystemdCgroup"] == .bool(false))
        #expect(toml["plugins", Self.cri, "containerd", "runtimes", "runc", "options", "Root"] == .string(base + "/runc"))
        #expect(toml["plugins", Self.cri, "cni", "bin_dir"] == .string("/usr/lib/cni"))
        #expect(toml["plugins", Self.cri, "cni", "conf_dir"] == .string(base + "/cni/net.d"))
        #expect(toml["plugins", Self.cri, "registry", "config_path"] == .string(base + "/certs.d"))
    }

    @Test func restrictOOMScoreAdjFollowsTheCapability() throws {
        let withCapability = try MiniTOML(makeConfig(restrict: false).render())
        #expect(withCapability["plugins", Self.cri, "restrict_oom_score_adj"] == .bool(false))
        // CapEff as measured on these VMs: every capability but CAP_SYS_RESOURCE (bit 24).
        let vm = try ProcessCapabilities(procStatus: "Name:\tx\nCapInh:\t0000000000000000\nCapEff:\t000001fffeffffff\n")
        #expect(!vm.has(ProcessCapabilities.sysResource))
        #expect(vm.has(21))  // CAP_SYS_ADMIN is there
        let full = try ProcessCapabilities(procStatus: "CapEff:\t000001ffffffffff\n")
        #expect(full.has(ProcessCapabilities.sysResource))
        #expect(throws: ManagedRuntimeError.self) { try ProcessCapabilities(procStatus: "CapEff:\tzz\n") }
        #expect(throws: ManagedRuntimeError.self) { try ProcessCapabilities(procStatus: "Name: x\n") }
        // The live value parses (whatever it is on this machine).
        _ = try ProcessCapabilities.current()
    }

    @Test func pathsWithQuotesAndBackslashesStayValidTOML() throws {
        let toml = try MiniTOML(makeConfig(root: "/tmp/we\"ird\\root").render())
        #expect(toml["root"] == .string("/tmp/we\"ird\\root/containerd/root"))
    }

    @Test func containerdItselfAcceptsTheConfig() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("swl-cfg-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/config.toml"
        try makeConfig(root: dir).render().write(toFile: file, atomically: true, encoding: .utf8)
        let (status, output) = try run("/usr/bin/containerd", ["--config", file, "config", "dump"])
        #expect(status == 0, "containerd config dump: \(output)")
        // The dump is containerd's merged view: our values must have survived its parser.
        let dumped = try MiniTOMLLines(output)
        #expect(dumped.contains("sandbox_image = \"127.0.0.1:5000/pause:3.9\""))
        #expect(dumped.contains("restrict_oom_score_adj = true"))
        #expect(dumped.contains("netns_mounts_under_state_dir = true"))
        #expect(dumped.contains("config_path = \"\(dir)/containerd/certs.d\""))
        #expect(dumped.contains("address = \"\(dir)/containerd/containerd.sock\""))
        #expect(dumped.contains("Root = \"\(dir)/containerd/runc\""))
    }

    @Test func defaultConflistIsABridgeWithHostLocalAndPortmap() throws {
        let network = try CNINetworkConfig(
            networkName: "swiftlet", bridgeName: "swiftlet0", podCIDR: IPv4CIDR(parsing: "10.244.0.0/16"),
            ipamDataDirectory: "/var/lib/swiftlet/containerd/state/cni-ipam")
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(network.render().utf8)) as? [String: Any])
        #expect(json["name"] as? String == "swiftlet")
        #expect(json["cniVersion"] as? String == "1.0.0")
        let plugins = try #require(json["plugins"] as? [[String: Any]])
        #expect(plugins.map { $0["type"] as? String } == ["bridge", "portmap"])
        let bridge = plugins[0]
        #expect(bridge["bridge"] as? String == "swiftlet0")
        #expect(bridge["isGateway"] as? Bool == true)
        #expect(bridge["hairpinMode"] as? Bool == true)
        #expect(bridge["ipMasq"] as? Bool == true)
        let ipam = try #require(bridge["ipam"] as? [String: Any])
        #expect(ipam["type"] as? String == "host-local")
        #expect(ipam["dataDir"] as? String == "/var/lib/swiftlet/containerd/state/cni-ipam")
        let range = try #require((ipam["ranges"] as? [[[String: String]]])?.first?.first)
        #expect(range == ["subnet": "10.244.0.0/16", "gateway": "10.244.0.1"])
        #expect((ipam["routes"] as? [[String: String]]) == [["dst": "0.0.0.0/0"]])
        #expect((plugins[1]["capabilities"] as? [String: Bool]) == ["portMappings": true])
    }

    @Test func podCIDRIsValidated() throws {
        #expect(try IPv4CIDR(parsing: "10.88.0.0/16").gateway == "10.88.0.1")
        #expect(try IPv4CIDR(parsing: "192.168.7.0/24").description == "192.168.7.0/24")
        for bad in ["10.244.1.0/16", "10.244.0.0", "10.244.0.0/33", "10.244.0/16", "10.256.0.0/16", "a.b.c.d/8", "10.0.0.0/31"] {
            let error = #expect(throws: ManagedRuntimeError.self) { try IPv4CIDR(parsing: bad) }
            #expect(error?.kind == .invalidConfiguration)
            #expect(error?.message.contains(bad) == true)
        }
        #expect(throws: ManagedRuntimeError.self) {
            try CNINetworkConfig(networkName: "n", bridgeName: "a-bridge-name-too-long", podCIDR: IPv4CIDR(parsing: "10.0.0.0/24"), ipamDataDirectory: "/x")
        }
    }

    @Test func insecureRegistryHostsTOML() throws {
        let toml = try MiniTOML(RegistryHosts.insecureHostsTOML(for: "127.0.0.1:5000"))
        #expect(toml["server"] == .string("http://127.0.0.1:5000"))
        #expect(toml["host", "http://127.0.0.1:5000", "skip_verify"] == .bool(true))
        #expect(toml["host", "http://127.0.0.1:5000", "capabilities"] == .strings(["pull", "resolve", "push"]))
        for bad in ["http://127.0.0.1:5000", "reg/path", "host:0", "host:99999", "a:b:c", "[::1", "bad host:5000"] {
            #expect(throws: ManagedRuntimeError.self, "\(bad)") { try RegistryHosts(insecureRegistries: [bad], sourceDirectory: nil) }
        }
        _ = try RegistryHosts(insecureRegistries: ["registry.local", "[::1]:5000", "10.0.0.1:443"], sourceDirectory: nil)
    }

    @Test func setupWritesEverythingAndRespectsAnExistingNetwork() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("swl-setup-\(UUID().uuidString.prefix(8))").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        // A registry config dir to copy, with one host of its own.
        let source = root + "/src-certs.d"
        try FileManager.default.createDirectory(atPath: source + "/registry.example:443", withIntermediateDirectories: true)
        try "server = \"https://registry.example:443\"\n".write(toFile: source + "/registry.example:443/hosts.toml", atomically: true, encoding: .utf8)

        let configuration = ManagedContainerd.Configuration(
            rootDirectory: root, podInfraContainerImage: "127.0.0.1:5000/pause:3.9", podCIDR: "10.251.3.0/24",
            insecureRegistries: ["127.0.0.1:5000"], registryConfigDirectory: source)
        let setup = try ContainerdSetup(
            configuration: configuration, cniBinDirectory: "/usr/lib/cni", capabilities: ProcessCapabilities(effective: 0))
        #expect(try setup.write() == true)
        let paths = ContainerdPaths(rootDirectory: root)
        let toml = try MiniTOML(String(contentsOfFile: paths.configFile, encoding: .utf8))
        #expect(toml["plugins", Self.cri, "restrict_oom_score_adj"] == .bool(true))
        let hosts = try MiniTOML(String(contentsOfFile: paths.registryHostsDirectory + "/127.0.0.1:5000/hosts.toml", encoding: .utf8))
        #expect(hosts["server"] == .string("http://127.0.0.1:5000"))
        let copied = try String(contentsOfFile: paths.registryHostsDirectory + "/registry.example:443/hosts.toml", encoding: .utf8)
        #expect(copied.contains("https://registry.example:443"))
        let conflist = paths.cniConfDirectory + "/" + CNINetworkConfig.fileName
        let written = try String(contentsOfFile: conflist, encoding: .utf8)
        #expect(written.contains("10.251.3.0/24"))

        // A network of the user's own: ours goes away so it cannot shadow theirs.
        try "{\"cniVersion\":\"1.0.0\",\"name\":\"mine\",\"plugins\":[]}".write(
            toFile: paths.cniConfDirectory + "/20-mine.conflist", atomically: true, encoding: .utf8)
        #expect(try setup.write() == false)
        #expect(!FileManager.default.fileExists(atPath: conflist))
        #expect(FileManager.default.fileExists(atPath: paths.cniConfDirectory + "/20-mine.conflist"))
    }

    @Test func tooLongRootIsRefusedBecauseOfTheSocketLimit() throws {
        let root = "/tmp/" + String(repeating: "r", count: 90)
        let error = #expect(throws: ManagedRuntimeError.self) {
            try ContainerdSetup(
                configuration: .init(rootDirectory: root), cniBinDirectory: "/usr/lib/cni",
                capabilities: ProcessCapabilities(effective: 0))
        }
        #expect(error?.message.contains("107") == true)
        #expect(throws: ManagedRuntimeError.self) {
            try ContainerdSetup(
                configuration: .init(rootDirectory: "relative/root"), cniBinDirectory: "/usr/lib/cni",
                capabilities: ProcessCapabilities(effective: 0))
        }
    }
}

/// The lines of a TOML dump, trimmed, for checks against containerd's own output (which uses TOML features the
/// mini reader does not need to know).
struct MiniTOMLLines {
    let lines: Set<String>
    init(_ text: String) throws {
        lines = Set(text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) })
        guard !lines.isEmpty else { throw MiniTOML.ParseError(line: 0, message: "empty dump") }
    }
    func contains(_ line: String) -> Bool { lines.contains(line) }
}

/// Runs a program and returns its exit status and combined output.
func run(_ executable: String, _ arguments: [String]) throws -> (Int32, String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}
