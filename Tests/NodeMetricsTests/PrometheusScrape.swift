import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a real Prometheus with `deploy/prometheus/prometheus.yml` against a test node and checks, through its
/// HTTP API, that all four jobs are up after at least two scrapes and that the CPU rate of a busy pod is about
/// one core. Prometheus asks for OpenMetrics first, so this also proves that output through Prometheus's parser.
enum PrometheusScrape {
    static func check(bed: StatsBed, burnPod: String) async throws {
        let directory = bed.directory + "/prometheus"
        try FileManager.default.createDirectory(atPath: directory + "/data", withIntermediateDirectories: true)
        let tokenFile = directory + "/metrics.token"
        try "token-metrics\n".write(toFile: tokenFile, atomically: true, encoding: .utf8)
        let shipped = try String(contentsOfFile: bed.testRuntime.repositoryRoot + "/deploy/prometheus/prometheus.yml", encoding: .utf8)
        let config = shipped
            .replacingOccurrences(of: "swiftlet-node:10250", with: "127.0.0.1:\(bed.port)")
            .replacingOccurrences(of: "/var/lib/swiftlet/pki/ca.crt", with: bed.caFile)
            .replacingOccurrences(of: "/etc/prometheus/swiftlet-metrics.token", with: tokenFile)
            .replacingOccurrences(of: "scrape_interval: 15s", with: "scrape_interval: 1s")
            .replacingOccurrences(of: "scrape_timeout: 10s", with: "scrape_timeout: 1s")
        #expect(config != shipped)
        try config.write(toFile: directory + "/prometheus.yml", atomically: true, encoding: .utf8)
        let port = try freePort()

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/prometheus")
        process.arguments = [
            "--config.file=\(directory)/prometheus.yml", "--storage.tsdb.path=\(directory)/data",
            "--web.listen-address=127.0.0.1:\(port)", "--log.level=warn",
        ]
        let log = FileHandle(forWritingAtPath: directory + "/prometheus.log") ?? {
            FileManager.default.createFile(atPath: directory + "/prometheus.log", contents: nil)
            return FileHandle(forWritingAtPath: directory + "/prometheus.log")
        }()
        process.standardOutput = log ?? FileHandle.nullDevice
        process.standardError = log ?? FileHandle.nullDevice
        try process.run()
        defer {
            // Always stop Prometheus; its data lives in the bed's directory, which the bed removes.
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
            try? log?.close()
        }
        let api = "http://127.0.0.1:\(port)/api/v1/query"
        let jobs = ["swiftlet", "swiftlet-cadvisor", "swiftlet-probes", "swiftlet-resource"]

        // Every job up, with at least two scrapes each.
        var lastUp: [String: Double] = [:]
        let upDeadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < upDeadline {
            lastUp = try await query(api, "up and on(job) (count_over_time(up[1m]) >= 2)")
            if Set(lastUp.keys) == Set(jobs) { break }
            try await Task.sleep(for: .milliseconds(500))
        }
        #expect(lastUp.keys.sorted() == jobs, "up series: \(lastUp); log: \(tail(directory + "/prometheus.log"))")
        #expect(lastUp.values.allSatisfy { $0 == 1 }, "up values: \(lastUp)")

        // The busy pod's CPU rate, as a dashboard would ask for it: over [1m] the series must be there. rate()
        // divides by the whole window, so only a window the samples fill gives the true value: that is checked
        // over [5s] once five 1 s scrapes are in.
        let selector = "container_cpu_usage_seconds_total{job=\"swiftlet-cadvisor\",container=\"burn\",pod=\"\(burnPod)\"}"
        var dashboardRate: [String: Double] = [:]
        var shortRate: [String: Double] = [:]
        let rateDeadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < rateDeadline {
            dashboardRate = try await query(api, "rate(\(selector)[1m])")
            shortRate = try await query(api, "rate(\(selector)[5s]) and on() (count_over_time(\(selector)[5s]) >= 5)")
            if !dashboardRate.isEmpty && !shortRate.isEmpty { break }
            try await Task.sleep(for: .milliseconds(500))
        }
        #expect(dashboardRate.count == 1, "rate over [1m] for \(burnPod): \(dashboardRate)")
        let value = try #require(shortRate.values.first, "no [5s] rate series for \(burnPod)")
        #expect(value > 0.5 && value < 1.2, "rate of the burning pod: \(value)")
    }

    /// Runs an instant query; returns value by `job` label (or the whole metric text when it has no job).
    static func query(_ api: String, _ expression: String) async throws -> [String: Double] {
        let output = try await runProcess("/usr/bin/curl", ["-s", "--max-time", "10", "-G", api, "--data-urlencode", "query=\(expression)"], timeout: 15)
        guard output.status == 0,
              let json = try? JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any],
              let data = json["data"] as? [String: Any], let results = data["result"] as? [[String: Any]]
        else { return [:] }
        var values: [String: Double] = [:]
        for result in results {
            let metric = result["metric"] as? [String: String] ?? [:]
            guard let pair = result["value"] as? [Any], pair.count == 2, let text = pair[1] as? String,
                  let value = Double(text) else { continue }
            values[metric["job"] ?? "\(metric)"] = value
        }
        return values
    }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw StatsTestError("socket failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw StatsTestError("bind failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func tail(_ path: String) -> String {
        String((try? String(contentsOfFile: path, encoding: .utf8))?.suffix(2000) ?? "")
    }
}
