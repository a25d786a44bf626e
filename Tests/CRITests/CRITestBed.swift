import CRI
import Foundation
import Logging
import TestSupport

/// Where the integration tests find a real containerd and the images they pull: the shared test runtime of
/// TestSupport (a managed containerd per test process, the local registry on 127.0.0.1:5000).
struct CRITestBed: Sendable {
    /// CRI endpoint of the shared test containerd.
    var endpoint: String
    /// Reference of the busybox image in the local registry.
    var busyboxImage: String

    static func shared() async throws -> CRITestBed {
        let runtime = try await TestRuntime.shared()
        return CRITestBed(endpoint: runtime.endpoint, busyboxImage: runtime.busyboxImage)
    }

    /// A client for the shared containerd; close it when done.
    func client(timeouts: CRITimeouts = CRITimeouts()) throws -> GRPCContainerRuntime {
        try GRPCContainerRuntime(
            endpoint: endpoint, logger: TestRuntime.makeLogger("cri-tests"), timeouts: timeouts)
    }
}

/// Runs `body` with a client, closing it afterwards whether or not `body` threw.
func withCRIClient<T: Sendable>(
    timeouts: CRITimeouts = CRITimeouts(),
    _ body: (GRPCContainerRuntime, CRITestBed) async throws -> T
) async throws -> T {
    let bed = try await CRITestBed.shared()
    let client = try bed.client(timeouts: timeouts)
    do {
        let result = try await body(client, bed)
        await client.close()
        return result
    } catch {
        await client.close()
        throw error
    }
}

/// Resident set size of this process, in bytes (from /proc/self/status).
func residentSetSize() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
        let kb = line.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        return kb * 1024
    }
    return 0
}

/// Progress for long integration tests, on stderr so it is not lost in stdout's buffer when a test hangs.
func progress(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
