import Foundation
import Testing
import TestSupport

/// The issue 9 benchmark suite in smoke mode (3 pods, a few seconds), against the debug `swiftlet` built beside this
/// test binary, so the suite cannot silently rot: it must finish, print every figure, count 0 errors and leave nothing
/// in containerd.
@Suite(.serialized) struct BenchSmokeTests {
    /// A SwiftPM-built executable beside this test binary.
    static func sibling(_ name: String) -> String {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent(name).path
    }

    /// Runs `swiftlet-bench <arguments> --smoke --swiftlet <debug swiftlet>` (killed after `timeout`) and returns its
    /// `RESULT key value` figures and its whole output.
    static func runBench(_ arguments: [String], timeout: TimeInterval = 120) async throws -> (figures: [String: Double], output: String, status: Int32) {
        let bench = sibling("swiftlet-bench"), agent = sibling("swiftlet")
        return try await offPool {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: bench)
            process.arguments = arguments + ["--smoke", "--swiftlet", agent]
            let outputPath = NSTemporaryDirectory() + "swiftlet-bench-smoke-\(UUID().uuidString.prefix(8)).log"
            FileManager.default.createFile(atPath: outputPath, contents: nil)
            defer { try? FileManager.default.removeItem(atPath: outputPath) }
            let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
            process.standardOutput = output
            process.standardError = output
            process.standardInput = FileHandle.nullDevice
            try process.run()
            let deadline = Date().addingTimeInterval(timeout)
            while process.isRunning, Date() < deadline { usleep(100_000) }
            // A hung bench is killed; its signal status then fails the test with the output so far.
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            try output.close()
            let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
            var figures: [String: Double] = [:]
            for line in text.split(separator: "\n") where line.hasPrefix("RESULT ") {
                let fields = line.split(separator: " ")
                if fields.count == 3, let value = Double(fields[2]) { figures[String(fields[1])] = value }
            }
            return (figures, text, process.terminationStatus)
        }
    }

    @Test func podStartSmokeMeasuresSwiftletAndTheFloor() async throws {
        try await TestBed.ensureUp()
        let run = try await Self.runBench(["pod-start"])
        #expect(run.status == 0, "swiftlet-bench pod-start failed:\n\(run.output)")
        for network in ["host", "cni"] {
            #expect(run.figures["pod_start.\(network).samples"] == 3, "\(network) samples missing:\n\(run.output)")
            for key in ["swiftlet.p50_ms", "swiftlet.p99_ms", "floor.p50_ms", "ratio_floor_p50"] {
                let value = run.figures["pod_start.\(network).\(key)"]
                #expect(value.map { $0 > 0 && $0.isFinite } == true, "pod_start.\(network).\(key) = \(String(describing: value))")
            }
        }
        // A pod cannot start in less time than containerd needs for its sandbox: the latency is real, not a zero.
        #expect((run.figures["pod_start.host.swiftlet.p50_ms"] ?? 0) > 10)
        #expect(run.figures["pod_start.errors"] == 0, "\(run.output)")
        #expect(run.figures["pod_start.leftover_sandboxes"] == 0, "\(run.output)")
        #expect(run.output.contains("| Swiftlet, host network | 3 |"), "\(run.output)")
    }

    @Test func densitySmokeRunsProbedPodsAndLeavesNothingBehind() async throws {
        try await TestBed.ensureUp()
        let run = try await Self.runBench(["density"])
        #expect(run.status == 0, "swiftlet-bench density failed:\n\(run.output)")
        #expect(run.figures["density.pods"] == 3, "\(run.output)")
        #expect(run.figures["density.running"] == 3, "\(run.output)")
        #expect(run.figures["density.errors"] == 0, "\(run.output)")
        #expect(run.figures["density.leftover_sandboxes"] == 0, "\(run.output)")
        #expect(run.figures["density.leftover_containers"] == 0, "\(run.output)")
        #expect((run.figures["density.start_p99_ms"] ?? 0) > 10, "\(run.output)")
        #expect((run.figures["density.all_running_s"] ?? 0) > 0, "\(run.output)")
        #expect((run.figures["overhead.rss_idle_mib"] ?? 0) > 1, "\(run.output)")
        #expect((run.figures["overhead.rss_loaded_mib"] ?? 0) > 1, "\(run.output)")
        #expect(run.figures["overhead.cpu_s_per_min"] != nil, "\(run.output)")
        #expect((run.figures["overhead.containerd_rss_mib"] ?? 0) > 1, "\(run.output)")
    }
}
