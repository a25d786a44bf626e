import FoundationEssentials
import SystemSupport

#if canImport(Glibc)
    import Glibc
#endif

/// One reading of a process from `/proc/<pid>`: what `process_*` metrics and the `kubelet`/`runtime` system
/// containers of the Summary report.
public struct ProcessSample: Sendable, Equatable {
    /// User plus system CPU time, in nanoseconds.
    public var cpuNanoseconds: UInt64
    /// Resident set size in bytes.
    public var residentBytes: UInt64
    /// Minor plus major page faults.
    public var pageFaults: UInt64
    /// Major page faults.
    public var majorPageFaults: UInt64
    /// When the process started, in seconds since the epoch.
    public var startTimeSeconds: Double
    /// Threads.
    public var threads: UInt64

    /// Reads `/proc/<pid>/stat` ("self" for this process); nil when the process is gone.
    public static func read(pid: String, boot: BootTime) -> ProcessSample? {
        guard let text = KernelFiles.text("/proc/\(pid)/stat") else { return nil }
        return parse(stat: text, boot: boot)
    }

    /// Parses a `/proc/<pid>/stat` line. The command name is in parentheses and may hold spaces, so fields are
    /// counted from the last ')'.
    static func parse(stat text: String, boot: BootTime) -> ProcessSample? {
        guard let close = text.lastIndex(of: ")") else { return nil }
        // Fields after ")" start at field 3 (state); index 0 here is field 3.
        let fields = text[text.index(after: close)...].split(separator: " ")
        func field(_ number: Int) -> UInt64? {
            let index = number - 3
            return index < fields.count ? UInt64(fields[index]) : nil
        }
        guard let minflt = field(10), let majflt = field(12), let utime = field(14), let stime = field(15),
              let threads = field(20), let start = field(22), let rssPages = field(24)
        else { return nil }
        let ticks = UInt64(max(1, sysconf(Int32(_SC_CLK_TCK))))
        let page = UInt64(max(1, sysconf(Int32(_SC_PAGESIZE))))
        return ProcessSample(
            cpuNanoseconds: (utime + stime) * 1_000_000_000 / ticks,
            residentBytes: rssPages * page,
            pageFaults: minflt + majflt,
            majorPageFaults: majflt,
            startTimeSeconds: Double(boot.secondsSinceEpoch) + Double(start) / Double(ticks),
            threads: threads
        )
    }

    /// Open file descriptors of this process (entries of `/proc/self/fd`), or nil.
    public static func openFileDescriptors() -> Int? {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") else { return nil }
        return entries.count
    }

    /// The soft limit on open file descriptors of this process, or nil.
    public static func maxFileDescriptors() -> UInt64? {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return nil }
        return UInt64(limit.rlim_cur)
    }
}

/// When the node booted (`btime` of `/proc/stat`), to turn process start ticks into wall-clock time.
public struct BootTime: Sendable, Equatable {
    /// Seconds since the epoch.
    public var secondsSinceEpoch: Int64

    /// Creates a boot time.
    public init(secondsSinceEpoch: Int64) {
        self.secondsSinceEpoch = secondsSinceEpoch
    }

    /// Reads `/proc/stat`; falls back to "now minus uptime" when `btime` is missing.
    public static func read() -> BootTime {
        if let text = KernelFiles.text("/proc/stat") {
            for line in text.split(separator: "\n") where line.hasPrefix("btime ") {
                if let value = Int64(line.dropFirst(6).trimmingWhitespace()) {
                    return BootTime(secondsSinceEpoch: value)
                }
            }
        }
        let uptime = KernelFiles.text("/proc/uptime")?.split(separator: " ").first.flatMap { Double($0) } ?? 0
        return BootTime(secondsSinceEpoch: Int64(Date().timeIntervalSince1970 - uptime))
    }
}
