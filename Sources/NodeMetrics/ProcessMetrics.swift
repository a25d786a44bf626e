import NodeStats

/// The standard `process_*` families of the client libraries, read from `/proc/self` at scrape time.
enum ProcessMetrics {
    static let boot = BootTime.read()

    static func families() -> [MetricFamily] {
        var families: [MetricFamily] = []
        func gauge(_ name: String, _ help: String, _ value: Double) {
            families.append(MetricFamily(name: name, help: help, kind: .gauge, series: [.init([], .scalar(value))]))
        }
        if let sample = ProcessSample.read(pid: "self", boot: boot) {
            families.append(MetricFamily(
                name: "process_cpu_seconds_total", help: "Total user and system CPU time spent in seconds.",
                kind: .counter, series: [.init([], .scalar(Double(sample.cpuNanoseconds) / 1e9))]))
            gauge("process_resident_memory_bytes", "Resident memory size in bytes.", Double(sample.residentBytes))
            gauge("process_start_time_seconds", "Start time of the process since unix epoch in seconds.", sample.startTimeSeconds)
        }
        if let open = ProcessSample.openFileDescriptors() {
            gauge("process_open_fds", "Number of open file descriptors.", Double(open))
        }
        if let max = ProcessSample.maxFileDescriptors() {
            gauge("process_max_fds", "Maximum number of open file descriptors.", Double(max))
        }
        return families
    }
}
