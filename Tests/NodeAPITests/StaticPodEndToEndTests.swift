import Foundation
import KubeTypes
import Testing
import TestSupport

/// `--pod-manifest-path` on the real binary and a managed containerd: a file becomes a running pod named after the
/// node, the API cannot delete it, an edit replaces it and removing the file stops it.
@Suite struct StaticPodEndToEndTests {
    typealias Agent = SwiftletExecutableTests.Agent

    static func manifest(version: String) -> String {
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
          labels:
            version: \(version)
        spec:
          hostNetwork: true
          terminationGracePeriodSeconds: 2
          containers:
          - name: app
            image: 127.0.0.1:5000/busybox:1.35
            command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
        """
    }

    /// Polls the pod until `done` holds for it (nil: the pod is gone), or the deadline passes.
    static func waitFor(
        _ agent: Agent, token: String, timeout: Duration = .seconds(60), _ done: (Pod?) -> Bool
    ) async throws -> Pod? {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var last: Pod?
        while clock.now < deadline {
            let (status, body) = try await agent.curl("/pods/default/web-node-a", token: token)
            last = status == 200 ? try KubeJSON.decode(Pod.self, from: Array(body.utf8)) : nil
            if status == 200 || status == 404, done(last) { return last }
            try await Task.sleep(for: .milliseconds(200))
        }
        return last
    }

    @Test func manifestFilesDriveStaticPods() async throws {
        try await TestBed.ensureUp()
        let root = "/run/swiftlet-static-\(UUID().uuidString.prefix(8).lowercased())"
        let manifests = root + "-manifests"
        try FileManager.default.createDirectory(atPath: manifests, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: manifests) }
        try Self.manifest(version: "one").write(toFile: manifests + "/web.yaml", atomically: true, encoding: .utf8)
        try "kind: Pod\nspec: [not, a, pod\n".write(toFile: manifests + "/broken.yaml", atomically: true, encoding: .utf8)

        let agent = try Agent(
            arguments: ["--pod-infra-container-image", "127.0.0.1:5000/pause:3.9", "--insecure-registry", "127.0.0.1:5000",
                        "--pod-cidr", "10.252.8.0/24", "--relist-period", "300ms", "--hostname-override", "node-a",
                        "--pod-manifest-path", manifests, "--file-check-frequency", "200ms"],
            port: 0, root: root, stateDirectory: root)
        defer { agent.cleanUp() }
        try await agent.waitUntilServing()
        let token = try String(contentsOfFile: root + "/admin.token", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)

        let first = try await Self.waitFor(agent, token: token, timeout: .seconds(90)) { $0?.status.phase == "Running" }
        #expect(first?.status.phase == "Running", "static pod never ran:\n\(agent.log)")
        #expect(first?.metadata.annotations?["swiftlet.io/static-pod-manifest"] == manifests + "/web.yaml")
        #expect(agent.log.contains("broken.yaml"), "the invalid manifest was not reported")

        let (listStatus, list) = try await agent.curl("/pods", token: token)
        #expect(listStatus == 200)
        #expect(list.contains("\"web-node-a\""))

        let (deleteStatus, refusal) = try await agent.curl("/pods/default/web-node-a", token: token, method: "DELETE")
        #expect(deleteStatus == 403)
        #expect(refusal.contains("\"reason\":\"Forbidden\""))
        #expect(refusal.contains(manifests + "/web.yaml"), "403 does not name the manifest: \(refusal)")

        // An edit replaces the pod: the old one is stopped and a new one, with a new uid, runs the new content.
        try Self.manifest(version: "two").write(toFile: manifests + "/web.yaml", atomically: true, encoding: .utf8)
        let second = try await Self.waitFor(agent, token: token) {
            $0?.metadata.labels?["version"] == "two" && $0?.status.phase == "Running"
        }
        #expect(second?.metadata.labels?["version"] == "two", "the edited manifest never ran:\n\(agent.log)")
        #expect(second?.metadata.uid != first?.metadata.uid)

        // Removing the file stops the pod and removes it.
        try FileManager.default.removeItem(atPath: manifests + "/web.yaml")
        let gone = try await Self.waitFor(agent, token: token) { $0 == nil }
        #expect(gone == nil, "the pod outlived its manifest file")
        #expect(await agent.terminate(timeout: .seconds(30)) == 0, "log:\n\(agent.log)")
    }
}
