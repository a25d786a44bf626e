import Foundation

/// Memory and CPU of processes, read from /proc.
enum ProcessFigures {
    /// VmRSS in MiB, or nil when the process is gone.
    static func rssMiB(_ pid: Int32) -> Double? {
        statusField(pid, "VmRSS:").map { $0 / 1024 }
    }

    /// Proportional set size in MiB (shared pages divided among their users), from smaps_rollup.
    static func pssMiB(_ pid: Int32) -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/smaps_rollup", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("Pss:") {
            return line.split(separator: " ").dropFirst().first.flatMap { Double($0) }.map { $0 / 1024 }
        }
        return nil
    }

    /// User + system CPU seconds the process has used (its own threads; children are not included).
    static func cpuSeconds(_ pid: Int32) -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return nil }
        // Fields after the command name start at field 3 (state); utime and stime are fields 14 and 15.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// Pids of the containerd shims whose command line names `socket` (the shims of one containerd).
    static func shimPIDs(containerdSocket socket: String) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> Int32? in
            guard let pid = Int32(entry),
                  let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return nil }
            let arguments = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            guard let first = arguments.first, first.contains("containerd-shim"),
                  arguments.contains(where: { $0.hasPrefix(socket) }) else { return nil }
            return pid
        }
    }

    private static func statusField(_ pid: Int32, _ name: String) -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(name) {
            return line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap { Double($0) }
        }
        return nil
    }
}

/// CPU of a set of processes over a window: seconds per minute and percent of one core.
struct CPUWindow {
    let seconds: Double
    let cpuSeconds: Double
    var perMinute: Double { seconds > 0 ? cpuSeconds / seconds * 60 : 0 }
    var percentOfCore: Double { seconds > 0 ? cpuSeconds / seconds * 100 : 0 }
}
