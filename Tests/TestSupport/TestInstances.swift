import Foundation
import Logging
import ManagedRuntime

#if canImport(Glibc)
    import Glibc
#endif

/// Hands out the per-process pieces every test containerd needs: a root under `<runBase>/<pid>/`, a bridge name,
/// a CNI network name and a /24 of 10.250.0.0/16 that no route on the machine uses yet.
///
/// Why per process: several test processes (one per developer, plus CI) may run at once on one machine; each has
/// its own containerd instances, bridges and subnets, and down.sh can tell a dead process's leftovers from a live
/// one's by the `owner` file.
actor TestInstances {
    /// The one allocator of this test process.
    static let shared = TestInstances()

    private var next = 0
    private var usedThirdOctets = Set<Int>()
    private var ownerWritten = false

    /// `<runBase>/<pid>`.
    nonisolated var processDirectory: String { TestBed.runBase + "/\(getpid())" }

    /// A fresh configuration for an instance named `name` (letters and digits; unique within the process).
    func configuration(name: String) throws -> ManagedContainerd.Configuration {
        try writeOwner()
        let index = next
        next += 1
        let root = processDirectory + "/" + name
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let octet = freeThirdOctet()
        return ManagedContainerd.Configuration(
            rootDirectory: root,
            podInfraContainerImage: TestBed.registry + "/pause:3.9",
            podCIDR: "10.250.\(octet).0/24",
            insecureRegistries: [TestBed.registry],
            readinessTimeout: .seconds(60),
            cniNetworkName: "swiftlet-test-\(getpid())-\(index)",
            // "swlt" + pid (at most 7 digits) + index keeps within Linux's 15-byte interface names.
            cniBridgeName: "swlt\(getpid())" + (index == 0 ? "" : "-\(index)"))
    }

    /// The owner file lets down.sh skip the instances of a live test process and clean a dead one's.
    private func writeOwner() throws {
        guard !ownerWritten else { return }
        try FileManager.default.createDirectory(atPath: processDirectory, withIntermediateDirectories: true)
        let stat = (try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8)) ?? ""
        // Field 22 (starttime), counted after the ")" that ends the command name.
        let fields = stat.split(separator: ")").last?.split(separator: " ") ?? []
        let startTime = fields.count > 19 ? String(fields[19]) : "0"
        try "\(getpid()) \(startTime)\n".write(
            toFile: processDirectory + "/owner", atomically: true, encoding: .utf8)
        ownerWritten = true
    }

    /// A third octet for 10.250.X.0/24, starting from one derived from the pid, skipping the ones this process
    /// already uses and those in the kernel's routing table (another process's bridge).
    private func freeThirdOctet() -> Int {
        let routed = Self.routedTenTwoFiftyOctets()
        let start = Int(getpid()) % 200
        for offset in 0..<256 {
            let candidate = (start + offset) % 256
            if !usedThirdOctets.contains(candidate) && !routed.contains(candidate) {
                usedThirdOctets.insert(candidate)
                return candidate
            }
        }
        return start
    }

    /// Third octets X of routes to 10.250.X.0 in /proc/net/route (destinations are little-endian hex).
    private static func routedTenTwoFiftyOctets() -> Set<Int> {
        guard let text = try? String(contentsOfFile: "/proc/net/route", encoding: .utf8) else { return [] }
        var octets = Set<Int>()
        for line in text.split(separator: "\n").dropFirst() {
            let fields = line.split(whereSeparator: { $0 == "\t" || $0 == " " })
            guard fields.count > 1, let destination = UInt32(fields[1], radix: 16) else { continue }
            if destination & 0xff == 10 && (destination >> 8) & 0xff == 250 {
                octets.insert(Int((destination >> 16) & 0xff))
            }
        }
        return octets
    }
}
