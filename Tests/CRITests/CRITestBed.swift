import CRI
import Foundation
import Logging
import Testing

/// Where the integration tests find a real containerd and the images they pull.
struct CRITestBed: Sendable {
    /// CRI endpoint of the shared test containerd.
    var endpoint: String
    /// Reference of the busybox image in the local registry.
    var busyboxImage: String

    static func shared() async throws -> CRITestBed {
        let env = ProcessInfo.processInfo.environment
        let endpoint = try #require(
            env["SWIFTLET_CRI_TEST_ENDPOINT"], "set SWIFTLET_CRI_TEST_ENDPOINT to a containerd CRI socket")
        let busybox = try #require(
            env["SWIFTLET_CRI_TEST_BUSYBOX"], "set SWIFTLET_CRI_TEST_BUSYBOX to a pullable busybox reference")
        return CRITestBed(endpoint: endpoint, busyboxImage: busybox)
    }

    /// A client for the shared containerd; close it when done.
    func client(timeouts: CRITimeouts = CRITimeouts()) throws -> GRPCContainerRuntime {
        var logger = Logger(label: "cri-tests")
        logger.logLevel = .warning
        return try GRPCContainerRuntime(endpoint: endpoint, logger: logger, timeouts: timeouts)
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
