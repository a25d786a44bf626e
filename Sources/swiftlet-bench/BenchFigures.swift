import Foundation

/// Latency samples in milliseconds and the percentiles the tables print.
struct LatencySummary: Sendable {
    let samples: [Double]
    var p50: Double { percentile(samples, 0.5) }
    var p90: Double { percentile(samples, 0.9) }
    var p99: Double { percentile(samples, 0.99) }
    var max: Double { samples.max() ?? 0 }

    /// A markdown table row: label, count, p50, p90, p99, max.
    func row(_ label: String) -> String {
        "| \(label) | \(samples.count) | \(format(p50)) | \(format(p90)) | \(format(p99)) | \(format(max)) |"
    }

    static let header = "| path | n | p50 ms | p90 ms | p99 ms | max ms |\n|---|---|---|---|---|---|"
}

/// Machine-readable lines for deploy/bench/run-all.sh and the smoke test: `RESULT <key> <number>`, one per figure.
enum BenchResult {
    static func emit(_ key: String, _ value: Double) {
        print("RESULT \(key) \(String(format: "%.3f", value))")
    }
}

/// Milliseconds between two monotonic nanosecond stamps.
func elapsedMilliseconds(from start: UInt64, to end: UInt64) -> Double {
    Double(end &- start) / 1e6
}

/// The pod bodies the benchmarks post: the same spec for Swiftlet and Podman.
enum BenchPods {
    /// A busybox pod that sleeps; `terminationGracePeriodSeconds: 0` so deletes are not timed against a grace wait.
    static func sleeper(name: String, image: String, hostNetwork: Bool) -> String {
        #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"\#(name)"},"spec":{"hostNetwork":\#(hostNetwork),"terminationGracePeriodSeconds":0,"containers":[{"name":"app","image":"\#(image)","command":["sleep","3600"]}]}}"#
    }

    /// A busybox pod serving /healthz with busybox httpd on `port`, with an exec readiness probe and an httpGet
    /// liveness probe every `period` seconds (issue 9's overhead workload).
    static func probed(name: String, image: String, hostNetwork: Bool, port: Int, period: Int) -> String {
        let script = "mkdir -p /www && echo ok >/www/healthz && exec httpd -f -p \(port) -h /www"
        return #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"\#(name)"},"spec":{"hostNetwork":\#(hostNetwork),"terminationGracePeriodSeconds":0,"containers":[{"name":"app","image":"\#(image)","command":["sh","-c","\#(script)"],"readinessProbe":{"exec":{"command":["true"]},"periodSeconds":\#(period)},"livenessProbe":{"httpGet":{"path":"/healthz","port":\#(port)},"periodSeconds":\#(period)}}]}}"#
    }
}
