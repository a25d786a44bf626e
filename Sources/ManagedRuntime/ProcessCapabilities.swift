import FoundationEssentials
import SystemSupport

/// The effective Linux capabilities of this process, read from `/proc/self/status`.
///
/// Why: root in some VMs and containers lacks `CAP_SYS_RESOURCE`. runc then cannot write a negative
/// `oom_score_adj`, and every `RunPodSandbox` fails with a misleading pipe error unless containerd's CRI plugin is
/// told `restrict_oom_score_adj = true`. Swiftlet detects the capability instead of assuming it.
public struct ProcessCapabilities: Sendable, Hashable {
    /// Capability number of `CAP_SYS_RESOURCE` (linux/capability.h).
    public static let sysResource = 24

    /// The `CapEff` bit mask.
    public let effective: UInt64

    /// Creates a value from a bit mask.
    public init(effective: UInt64) {
        self.effective = effective
    }

    /// Parses the `CapEff:` line of a `/proc/<pid>/status` text.
    /// - Throws: `ManagedRuntimeError` `.setupFailed` when the line is missing or not hexadecimal.
    public init(procStatus text: String) throws {
        for line in text.split(separator: "\n") where line.hasPrefix("CapEff:") {
            let hex = line.dropFirst("CapEff:".count).trimmingWhitespace()
            guard let mask = UInt64(hex, radix: 16) else { break }
            self.init(effective: mask)
            return
        }
        throw ManagedRuntimeError(.setupFailed, "cannot read the CapEff line of /proc/self/status")
    }

    /// The capabilities of the calling process.
    public static func current() throws -> ProcessCapabilities {
        let text: String
        do {
            text = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        } catch {
            throw ManagedRuntimeError(.setupFailed, "cannot read /proc/self/status: \(error)")
        }
        return try ProcessCapabilities(procStatus: text)
    }

    /// True when capability number `capability` is in the effective set.
    public func has(_ capability: Int) -> Bool {
        capability >= 0 && capability < 64 && effective & (UInt64(1) << UInt64(capability)) != 0
    }
}
