import CRI
import Foundation
import Logging

/// A running `swiftlet` under measurement with what every benchmark needs next to it: a watch of all pods, a
/// keep-alive API connection, and a CRI client on the agent's own managed containerd (for the floor and for the
/// leftover check).
final class BenchSession: @unchecked Sendable {
    let swiftlet: SwiftletUnderTest
    let watch: PodWatch
    let api: HTTPSConnection
    let runtime: GRPCContainerRuntime

    /// The label Swiftlet puts on every sandbox and container it creates.
    static let ownerLabel = ("swiftlet.io/managed", "true")

    private init(swiftlet: SwiftletUnderTest, watch: PodWatch, api: HTTPSConnection, runtime: GRPCContainerRuntime) {
        self.swiftlet = swiftlet
        self.watch = watch
        self.api = api
        self.runtime = runtime
    }

    /// Starts the agent and waits for it to be ready; on any failure everything started so far is stopped.
    static func start(options: SwiftletOptions, name: String, logger: Logger) async throws -> BenchSession {
        let root = "/run/swb-\(getpid())-\(name)"
        let swiftlet = try SwiftletUnderTest(
            binary: options.swiftlet, root: root, podCIDR: options.podCIDR, pauseImage: options.pauseImage,
            registry: options.registry, extraArguments: options.swiftletArguments)
        do {
            try await swiftlet.waitUntilReady(timeout: .seconds(120))
            let port = swiftlet.port, ca = swiftlet.caFile, token = swiftlet.token
            let watch = try await onThread { try PodWatch(port: port, caFile: ca, token: token, timeoutSeconds: 3600) }
            let api = try await onThread { try HTTPSConnection(port: port, caFile: ca) }
            let runtime = try GRPCContainerRuntime(endpoint: "unix://" + swiftlet.criSocket, logger: logger)
            return BenchSession(swiftlet: swiftlet, watch: watch, api: api, runtime: runtime)
        } catch {
            await swiftlet.stop()
            throw error
        }
    }

    /// The outcome of posting one pod.
    struct Posted: Sendable {
        let name: String
        let sentAt: UInt64
        let status: Int
        let body: String
    }

    /// POSTs a pod on `connection` (the session's own by default) and returns when the answer is in.
    func post(_ body: String, name: String, on connection: HTTPSConnection? = nil) async throws -> Posted {
        let connection = connection ?? api, token = swiftlet.token
        return try await onThread {
            let sentAt = try connection.send(method: "POST", path: "/pods", token: token, body: Array(body.utf8))
            let response = try connection.readResponse()
            return Posted(name: name, sentAt: sentAt, status: response.status, body: response.text)
        }
    }

    /// DELETE with no grace period; returns the HTTP status.
    func delete(_ name: String, on connection: HTTPSConnection? = nil) async throws -> Int {
        let connection = connection ?? api, token = swiftlet.token
        return try await onThread {
            try connection.request(method: "DELETE", path: "/pods/default/\(name)?gracePeriodSeconds=0", token: token).status
        }
    }

    /// Sandboxes and containers in the agent's containerd that carry Swiftlet's owner label.
    func ownedLeftovers() async throws -> (sandboxes: Int, containers: Int) {
        var sandboxFilter = Runtime_V1_PodSandboxFilter()
        sandboxFilter.labelSelector = [Self.ownerLabel.0: Self.ownerLabel.1]
        var containerFilter = Runtime_V1_ContainerFilter()
        containerFilter.labelSelector = [Self.ownerLabel.0: Self.ownerLabel.1]
        let sandboxes = try await runtime.listPodSandboxes(filter: sandboxFilter)
        let containers = try await runtime.listContainers(filter: containerFilter)
        return (sandboxes.count, containers.count)
    }

    /// Every sandbox in the agent's containerd, Swiftlet's or not (the floor's must be gone too).
    func allSandboxes() async throws -> Int {
        try await runtime.listPodSandboxes(filter: nil).count
    }

    /// After a failure: deletes every pod the agent has and waits (bounded) for its sandboxes to go, so stopping the
    /// agent leaves no shims behind.
    func deleteAllPods() async {
        let port = swiftlet.port, ca = swiftlet.caFile, token = swiftlet.token
        _ = try? await onThread {
            let connection = try HTTPSConnection(port: port, caFile: ca)
            let list = try connection.request(method: "GET", path: "/pods", token: token)
            let object = try JSONSerialization.jsonObject(with: Data(list.body)) as? [String: Any]
            for item in object?["items"] as? [[String: Any]] ?? [] {
                guard let name = (item["metadata"] as? [String: Any])?["name"] as? String else { continue }
                _ = try? connection.request(method: "DELETE", path: "/pods/default/\(name)?gracePeriodSeconds=0", token: token)
            }
        }
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline, let left = try? await ownedLeftovers(), left.sandboxes > 0 {
            try? await Task.sleep(for: .milliseconds(200))
        }
    }

    /// Stops and removes every CRI-floor sandbox (label `bench.swiftlet.io/floor`) still in the agent's containerd.
    func removeFloorSandboxes() async {
        var filter = Runtime_V1_PodSandboxFilter()
        filter.labelSelector = ["bench.swiftlet.io/floor": "true"]
        for sandbox in (try? await runtime.listPodSandboxes(filter: filter)) ?? [] {
            try? await runtime.stopPodSandbox(id: sandbox.id)
            try? await runtime.removePodSandbox(id: sandbox.id)
        }
    }

    /// Ends the watch, closes the CRI client and stops the agent (which stops its containerd).
    func stop() async {
        await removeFloorSandboxes()
        watch.stop()
        api.shutdownSocket()
        await runtime.close()
        await swiftlet.stop()
    }
}

/// How to start the agent under measurement (shared by every subcommand).
struct SwiftletOptions: Sendable {
    var swiftlet: String
    var image: String
    var pauseImage: String
    var registry: String
    var podCIDR: String
    var swiftletArguments: [String]
}
