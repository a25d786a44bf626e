import FoundationEssentials
import SystemSupport

#if canImport(Glibc)
    import Glibc
#endif

/// What `/spec` reports about the machine, and the `machine_*` metrics.
public struct MachineInfo: Codable, Sendable, Equatable {
    /// Logical CPUs online.
    public var numCores: Int
    /// `MemTotal` in bytes.
    public var memoryCapacity: UInt64
    /// `uname -r`.
    public var kernelVersion: String
    /// `PRETTY_NAME` of `/etc/os-release`.
    public var osImage: String
    /// `uname -m`.
    public var architecture: String
    /// `/etc/machine-id`, empty when absent.
    public var machineID: String
    /// `/proc/sys/kernel/random/boot_id`.
    public var bootID: String

    /// Reads the machine's figures.
    public static func read() -> MachineInfo {
        var name = utsname()
        uname(&name)
        func field<T>(_ value: T) -> String {
            withUnsafeBytes(of: value) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
        }
        let meminfo = KernelFiles.keyValues("/proc/meminfo")
        return MachineInfo(
            numCores: ProcessInfo.processInfo.activeProcessorCount,
            memoryCapacity: (meminfo["MemTotal"] ?? 0) * 1024,
            kernelVersion: field(name.release),
            osImage: osImage(KernelFiles.text("/etc/os-release") ?? ""),
            architecture: field(name.machine),
            machineID: (KernelFiles.text("/etc/machine-id") ?? "").trimmingWhitespaceAndNewlines(),
            bootID: (KernelFiles.text("/proc/sys/kernel/random/boot_id") ?? "").trimmingWhitespaceAndNewlines()
        )
    }

    /// `PRETTY_NAME` from os-release text (quotes removed), "Linux" when absent.
    static func osImage(_ text: String) -> String {
        for line in text.split(separator: "\n") where line.hasPrefix("PRETTY_NAME=") {
            return line.dropFirst("PRETTY_NAME=".count).trimming(where: { $0 == "\"" || $0 == "'" })
        }
        return "Linux"
    }
}
