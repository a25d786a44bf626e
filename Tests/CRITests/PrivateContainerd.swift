import Foundation
import Testing

/// A containerd of the test's own (root, state, sockets under a temp dir) that the test may kill and restart
/// without disturbing the shared test runtime other tests use at the same time.
final class PrivateContainerd: @unchecked Sendable {
    // @unchecked: `process` is only touched by the one test that owns the instance, sequentially.
    let directory: String
    var socketPath: String { "\(directory)/containerd.sock" }
    private var process: Process?

    init() throws {
        directory = "/tmp/swiftlet-cri-private-\(UUID().uuidString.prefix(8).lowercased())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let config = """
            version = 2
            root = "\(directory)/root"
            state = "\(directory)/state"
            [grpc]
              address = "\(directory)/containerd.sock"
            [ttrpc]
              address = "\(directory)/containerd.sock.ttrpc"
            [plugins."io.containerd.internal.v1.opt"]
              path = "\(directory)/opt"
            [plugins."io.containerd.grpc.v1.cri"]
              restrict_oom_score_adj = true
              stream_server_address = "127.0.0.1"
              stream_server_port = "0"
              [plugins."io.containerd.grpc.v1.cri".cni]
                bin_dir = "/usr/lib/cni"
                conf_dir = "\(directory)/cni"
            """
        try config.write(toFile: "\(directory)/config.toml", atomically: true, encoding: .utf8)
    }

    /// Starts containerd and waits until its socket exists.
    func start() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/containerd")
        process.arguments = ["--config", "\(directory)/config.toml"]
        FileManager.default.createFile(atPath: "\(directory)/containerd.log", contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: "\(directory)/containerd.log"))
        log.seekToEndOfFile()
        process.standardOutput = log
        process.standardError = log
        try process.run()
        self.process = process
        let deadline = ContinuousClock.now + .seconds(20)
        while !FileManager.default.fileExists(atPath: socketPath) {
            guard ContinuousClock.now < deadline, process.isRunning else {
                throw PrivateContainerdError(message: "containerd did not create \(socketPath); see \(directory)/containerd.log")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Kills containerd with SIGKILL (the harshest restart) and waits for it to exit.
    func kill() async {
        guard let process, process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        let deadline = ContinuousClock.now + .seconds(10)
        while process.isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        self.process = nil
        // containerd does not remove its socket when killed; a new instance replaces it.
    }

    /// Stops containerd and removes its directory.
    func destroy() async {
        await kill()
        try? FileManager.default.removeItem(atPath: directory)
    }
}

struct PrivateContainerdError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
