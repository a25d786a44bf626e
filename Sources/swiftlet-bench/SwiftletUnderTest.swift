import Foundation

/// The `swiftlet` binary under measurement: started on a private root with its own managed containerd, pulling from
/// the local test-bed registry, serving HTTPS on a loopback port it picks itself.
final class SwiftletUnderTest: @unchecked Sendable {
    let root: String
    let process = Process()
    let logPath: String
    private(set) var port = 0
    private(set) var token = ""
    var caFile: String { root + "/pki/ca.crt" }
    /// The managed containerd's CRI socket.
    var criSocket: String { root + "/containerd/containerd.sock" }

    /// Starts the binary. `root` must be short: containerd's sockets under it must fit in 107 bytes.
    init(binary: String, root: String, podCIDR: String, pauseImage: String, registry: String, extraArguments: [String]) throws {
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw BenchmarkError(message: "no swiftlet binary at \(binary) (pass --swiftlet PATH)")
        }
        self.root = root
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        logPath = root + "/swiftlet.log"
        FileManager.default.createFile(atPath: logPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = [
            "--root-dir", root, "--address", "127.0.0.1", "--port", "0", "--log-level", "notice",
            "--pod-infra-container-image", pauseImage, "--insecure-registry", registry, "--pod-cidr", podCIDR,
        ] + extraArguments
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            try? FileManager.default.removeItem(atPath: root)
            throw BenchmarkError(message: "cannot start \(binary): \(error)")
        }
    }

    var pid: Int32 { process.processIdentifier }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// The managed containerd's pid, from its pid file.
    var containerdPID: Int32? {
        (try? String(contentsOfFile: root + "/containerd/containerd.pid", encoding: .utf8))
            .flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// Waits for the "serving https://…:PORT" line, the admin token, and `/readyz` 200 (containerd RuntimeReady and
    /// NetworkReady).
    func waitUntilReady(timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            guard process.isRunning else { throw BenchmarkError(message: "swiftlet exited during startup:\n\(log.suffix(3000))") }
            if port == 0, let range = log.range(of: "serving https://") {
                let rest = log[range.upperBound...].prefix(while: { $0 != " " && $0 != "\n" })
                port = rest.split(separator: ":").last.flatMap { Int($0) } ?? 0
            }
            if port != 0, token.isEmpty, let text = try? String(contentsOfFile: root + "/admin.token", encoding: .utf8) {
                token = text.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            if port != 0, !token.isEmpty {
                let port = port, caFile = caFile
                let status = try? await onThread {
                    try HTTPSConnection(port: port, caFile: caFile, readTimeoutSeconds: 10)
                        .request(method: "GET", path: "/readyz", token: nil).status
                }
                if status == 200 { return }
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw BenchmarkError(message: "swiftlet was not ready within \(timeout):\n\(log.suffix(3000))")
    }

    /// SIGTERM, a bounded wait, then SIGKILL; the managed containerd is killed too if it outlived the agent, and
    /// the root is removed unless `keepRoot`.
    func stop(keepRoot: Bool = false) async {
        let containerd = containerdPID
        if process.isRunning {
            kill(pid, SIGTERM)
            let deadline = ContinuousClock.now + .seconds(30)
            while process.isRunning, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(50)) }
            if process.isRunning { kill(pid, SIGKILL) }
        }
        if let containerd, containerd > 1, kill(containerd, 0) == 0 {
            kill(containerd, SIGKILL)
        }
        if !keepRoot { BenchCleanup.removeTree(root) }
        BenchCleanup.removeIdleBridge("swiftlet0")
    }
}

/// Removing what a managed containerd leaves under a root: overlay and shm mounts, network namespace mounts.
enum BenchCleanup {
    /// Deletes the managed containerd's CNI bridge when no interface is attached to it any more. The bridge keeps
    /// the gateway address of the pod CIDR it was created for, and the CNI bridge plugin refuses a later network with
    /// another CIDR on a bridge of the same name; an idle bridge carries no pod, so removing it disturbs nobody.
    static func removeIdleBridge(_ name: String) {
        guard FileManager.default.fileExists(atPath: "/sys/class/net/\(name)/bridge") else { return }
        let attached = (try? FileManager.default.contentsOfDirectory(atPath: "/sys/class/net/\(name)/brif")) ?? []
        guard attached.isEmpty else { return }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/sbin/ip")
        process.arguments = ["link", "delete", name]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return }
        process.waitUntilExit()
    }

    /// Unmounts everything mounted below `root` (deepest first), then removes the tree.
    static func removeTree(_ root: String) {
        let mounts = (try? String(contentsOfFile: "/proc/self/mounts", encoding: .utf8)) ?? ""
        let below = mounts.split(separator: "\n").compactMap { line -> String? in
            let fields = line.split(separator: " ")
            guard fields.count > 2 else { return nil }
            let point = String(fields[1]).replacingOccurrences(of: "\\040", with: " ")
            return point.hasPrefix(root + "/") ? point : nil
        }
        for point in below.sorted(by: { $0.count > $1.count }) {
            umount2(point, Int32(MNT_DETACH))
        }
        try? FileManager.default.removeItem(atPath: root)
    }
}
