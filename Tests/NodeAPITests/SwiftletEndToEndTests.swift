import Foundation
import KubeTypes
import Testing
import TestSupport

/// The `swiftlet` binary as a user runs it: durability across kill -9, and a pod on its own managed containerd.
@Suite(.serialized) struct SwiftletEndToEndTests {
    typealias Agent = SwiftletExecutableTests.Agent

    static func podBody(_ name: String) -> String {
        #"{"metadata":{"name":"\#(name)"},"spec":{"containers":[{"name":"a","image":"127.0.0.1:5000/busybox:1.35"}]}}"#
    }

    /// POSTs with curl and returns the HTTP status.
    static func post(_ agent: Agent, token: String, body: String) async throws -> Int {
        try await post(port: agent.port, caCertificate: agent.stateDirectory + "/pki/ca.crt", token: token, body: body)
    }

    static func post(port: Int, caCertificate: String, token: String, body: String) async throws -> Int {
        try await offPool { try postBlocking(port: port, caCertificate: caCertificate, token: token, body: body) }
    }

    static func postBlocking(port: Int, caCertificate: String, token: String, body: String) throws -> Int {
        try CurlRunner.run([
            "--max-time", "30", "--cacert", caCertificate, "-H", "Authorization: Bearer \(token)",
            "-H", "Content-Type: application/json", "--data-binary", body, "https://127.0.0.1:\(port)/pods",
        ]).status
    }

    @Test func killNineNeverLosesAnAcknowledgedPod() async throws {
        let first = try Agent(arguments: ["--container-runtime-endpoint", "unix:///nonexistent.sock"], port: 0)
        defer { first.cleanUp() }
        try await first.waitUntilServing()
        let token = try String(contentsOfFile: first.root + "/state/admin.token", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        kill(first.process.processIdentifier, SIGKILL)
        let firstProcess = first.process
        _ = try await offPool { firstProcess.waitUntilExit() }

        var acknowledged: [String] = []
        for round in 0..<6 {
            let agent = try Agent(arguments: ["--container-runtime-endpoint", "unix:///nonexistent.sock"], port: 0, root: first.root)
            defer { agent.cleanUp(keepRoot: true) }
            try await agent.waitUntilServing()
            // Everything acknowledged so far is there after the previous kill -9.
            for name in acknowledged {
                #expect(try await agent.curl("/pods/default/\(name)", token: token).0 == 200, "pod \(name) lost after kill -9")
            }
            // Post a burst and kill -9 while requests may still be in flight.
            let names = (0..<8).map { "r\(round)-p\($0)" }
            let port = agent.port, ca = agent.stateDirectory + "/pki/ca.crt", pid = agent.process.processIdentifier
            let codes = try await withThrowingTaskGroup(of: (String, Int).self) { group in
                for name in names {
                    group.addTask { (name, try await Self.post(port: port, caCertificate: ca, token: token, body: Self.podBody(name))) }
                }
                var codes: [(String, Int)] = []
                for try await result in group {
                    codes.append(result)
                    if codes.count == 5 { kill(pid, SIGKILL) }
                }
                return codes
            }
            acknowledged += codes.filter { $0.1 == 201 }.map(\.0)
            let agentProcess = agent.process
            _ = try await offPool { agentProcess.waitUntilExit() }
        }
        #expect(acknowledged.count >= 6 * 5, "too few acknowledged pods: \(acknowledged.count)")
        let last = try Agent(arguments: ["--container-runtime-endpoint", "unix:///nonexistent.sock"], port: 0, root: first.root)
        defer { last.cleanUp(keepRoot: true) }
        try await last.waitUntilServing()
        let (status, body) = try await last.curl("/pods", token: token)
        #expect(status == 200)
        let list = try KubeJSON.decode(PodList.self, from: Array(body.utf8))
        let stored = Set(list.items.compactMap(\.metadata.name))
        #expect(Set(acknowledged).isSubset(of: stored), "lost: \(Set(acknowledged).subtracting(stored).sorted())")
        #expect(await last.terminate() == 0)
    }

    @Test func managedContainerdRunsAPodToCompletion() async throws {
        try await TestBed.ensureUp()
        // A short root: containerd's socket path must stay under 107 bytes.
        let root = "/run/swiftlet-e2e-\(UUID().uuidString.prefix(8).lowercased())"
        let agent = try Agent(
            arguments: ["--pod-infra-container-image", "127.0.0.1:5000/pause:3.9", "--insecure-registry", "127.0.0.1:5000",
                        "--pod-cidr", "10.252.7.0/24", "--relist-period", "300ms"],
            port: 0, root: root, stateDirectory: root)
        defer { agent.cleanUp() }
        try await agent.waitUntilServing()
        let token = try String(contentsOfFile: root + "/admin.token", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        // /readyz turns 200 once the managed containerd reports RuntimeReady and NetworkReady.
        let clock = ContinuousClock()
        var deadline = clock.now + .seconds(90)
        while clock.now < deadline, try await agent.curl("/readyz").0 != 200 {
            try await Task.sleep(for: .milliseconds(250))
        }
        #expect(try await agent.curl("/readyz").0 == 200, "managed containerd never became ready:\n\(agent.log)")

        let pod = #"{"metadata":{"name":"once"},"spec":{"hostNetwork":true,"restartPolicy":"Never","containers":[{"name":"a","image":"127.0.0.1:5000/busybox:1.35","command":["sh","-c","echo done"]}]}}"#
        #expect(try await Self.post(agent, token: token, body: pod) == 201)
        deadline = clock.now + .seconds(60)
        var last = Pod()
        while clock.now < deadline {
            let (status, body) = try await agent.curl("/pods/default/once", token: token)
            if status == 200 { last = try KubeJSON.decode(Pod.self, from: Array(body.utf8)) }
            if last.status.phase == "Succeeded" { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(last.status.phase == "Succeeded", "phase \(String(describing: last.status.phase)):\n\(agent.log)")
        let terminated = last.status.containerStatuses?.first?.state?.terminated
        #expect(terminated?.exitCode == 0)
        #expect(terminated?.reason == "Completed")

        #expect(try await agent.curl("/pods/default/once", token: token, method: "DELETE").0 == 200)
        deadline = clock.now + .seconds(30)
        while clock.now < deadline, try await agent.curl("/pods/default/once", token: token).0 != 404 {
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(try await agent.curl("/pods/default/once", token: token).0 == 404)
        #expect(await agent.terminate(timeout: .seconds(30)) == 0, "log:\n\(agent.log)")
        // The managed containerd stops with the agent.
        let leftover = (try? String(contentsOfFile: root + "/containerd/containerd.pid", encoding: .utf8))
            .flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        if let leftover { #expect(kill(leftover, 0) != 0, "containerd \(leftover) still runs after swiftlet stopped") }
    }
}
