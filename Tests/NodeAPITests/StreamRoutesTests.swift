import CRI
import EventHTTP
import Foundation
import KubeTypes
import NodeAPI
import NodeAgent
import StreamBridge
import TestSupport
import Testing

/// `GET /exec`, `/attach` and `/portForward` through the whole node: TLS, authentication, authorization, the pod
/// API, the container locator and the bridge to containerd, with a real WebSocket client (Python websocket-client).
@Suite struct StreamRoutesTests {
    @Test func execAttachAndPortForwardByPodName() async throws {
        try await RuntimeNode.with("streams", streaming: true) { bed in
            let shell = try await bed.create("shell", Container(name: "main", image: bed.testRuntime.busyboxImage,
                                                                 command: ["sleep", "3600"]))
            var echo = Container(name: "echo", image: bed.testRuntime.busyboxImage,
                                 command: ["sh", "-c", "while read l; do echo \"attached:$l\"; done"])
            echo.stdin = true
            let attached = try await bed.create("attach", echo)
            let web = try await bed.create("web", Container(name: "web", image: bed.testRuntime.busyboxImage, command: [
                "sh", "-c", "mkdir -p /www && echo node-forward-ok > /www/f.txt && exec httpd -f -p 8081 -h /www"]))
            try await bed.waitRunning(shell, "main")
            try await bed.waitRunning(attached, "echo")
            try await bed.waitRunning(web, "web")

            let execPath = "/exec/default/\(shell.metadata.name ?? "")/main?command=sh&command=-c&command=cat%3B%20exit%209&stdin=true&stdout=true&stderr=false"
            let exec = try await bed.user(execPath, token: "token-admin",
                                          steps: [["op": "send", "channel": 0, "data": "via-node\n"],
                                                  ["op": "wait", "channel": 1, "contains": "via-node"],
                                                  ["op": "raw", "hex": "ff00"], ["op": "close"], ["op": "readall"]],
                                          subprotocols: ["v4.channel.k8s.io"])
            #expect(exec.status == 101, "\(exec.raw)")
            #expect(exec.text(1) == "via-node\n", "\(exec.raw)")

            let attach = try await bed.user("/attach/default/\(attached.metadata.name ?? "")/echo?stdin=true&stdout=true&stderr=false",
                                            token: "token-admin",
                                            steps: [["op": "send", "channel": 0, "data": "hi\n"],
                                                    ["op": "wait", "channel": 1, "contains": "attached:hi"], ["op": "close"]])
            #expect(attach.text(1).contains("attached:hi"), "\(attach.raw)")

            var forwarded = ""
            for _ in 0..<20 where !forwarded.contains("node-forward-ok") {
                let reply = try await bed.user("/portForward/default/\(web.metadata.name ?? "")?ports=8081", token: "token-admin",
                                               steps: [["op": "send", "channel": 0, "data": "GET /f.txt HTTP/1.0\r\n\r\n"],
                                                       ["op": "wait", "channel": 0, "contains": "node-forward-ok"], ["op": "close"]],
                                               timeout: 8)
                forwarded = reply.text(0)
                if !forwarded.contains("node-forward-ok") { try await Task.sleep(for: .milliseconds(300)) }
            }
            #expect(forwarded.contains("node-forward-ok"), "\(forwarded)")

            // Errors keep Kubernetes' shape: an unknown pod is 404, a plain GET without an upgrade is 400.
            let missing = try await bed.user("/exec/default/nope/main?command=true", token: "token-admin", steps: [])
            #expect(missing.status == 404, "\(missing.raw)")
            let plain = try await bed.node.curl("GET", "/exec/default/\(shell.metadata.name ?? "")/main?command=true",
                                                        credential: .token("token-admin"))
            #expect(plain.status == 400 && plain.body.contains("WebSocket"), "\(plain.body)")
        }
    }

    /// Who may open streams: only the admin, over the WebSocket itself and whatever the method.
    @Test func authorizationMatrixForStreamRoutes() async throws {
        try await RuntimeNode.with("streamauth", streaming: true) { bed in
            let paths = ["/exec/default/p/c?command=true", "/attach/default/p/c?stdin=true", "/portForward/default/p?ports=80"]
            for path in paths {
                for (token, expected) in [("token-viewer", 403), ("token-metrics", 403), ("token-norole", 403), ("not-a-token", 401)] {
                    let outcome = try await bed.user(path, token: token, steps: [])
                    #expect(outcome.status == expected, "\(path) as \(token): \(outcome.raw)")
                    for method in ["GET", "POST"] {
                        let reply = try await bed.node.curl(method, path, credential: .token(token))
                        #expect(reply.status == expected, "\(method) \(path) as \(token): \(reply.status) \(reply.body)")
                    }
                }
                // The admin passes authorization and reaches the handler: the pod does not exist.
                let admin = try await bed.user(path, token: "token-admin", steps: [])
                #expect(admin.status == 404, "\(path) as admin: \(admin.raw)")
            }
        }
    }
}

/// The stream route tests' helpers on top of `RuntimeNode` (started with `streaming: true`): pods with one
/// container, and the Python WebSocket user over TLS.
extension RuntimeNode {
    /// Creates a one-container pod named `<scope>-<suffix>` through the pod API.
    func create(_ suffix: String, _ container: Container) async throws -> Pod {
        try await pods.create(Pod(metadata: ObjectMeta(name: scope.name(suffix), namespace: "default"),
                                  spec: PodSpec(containers: [container])))
    }

    struct Outcome {
        var raw: [String: Any]
        var status: Int? { raw["status"] as? Int }
        func text(_ channel: Int) -> String {
            let frames = (raw["frames"] as? [[Any]] ?? []).filter { $0.first as? Int == channel }
            return String(decoding: frames.flatMap { Array(Data(base64Encoded: $0[1] as? String ?? "") ?? Data()) }, as: UTF8.self)
        }
    }

    func user(_ path: String, token: String, steps: [[String: Any]], subprotocols: [String] = ["v4.channel.k8s.io"],
              timeout: Double = 20) async throws -> Outcome {
        let arguments: [String: Any] = [
            "url": "wss://127.0.0.1:\(node.port)\(path)", "subprotocols": subprotocols, "steps": steps,
            "timeout": timeout, "ca": node.pki.caCertificate, "headers": ["Authorization: Bearer \(token)"],
        ]
        let json = String(decoding: try JSONSerialization.data(withJSONObject: arguments), as: UTF8.self)
        let script = testRuntime.repositoryRoot + "/Tests/Scripts/stream_client.py"
        let output = try await offPool { () throws -> String in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", script, json]
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return String(decoding: data, as: UTF8.self)
        }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(output.utf8))) as? [String: Any] else {
            throw FixtureError(message: "stream client printed no JSON: \(output.prefix(500))")
        }
        return Outcome(raw: object)
    }
}
