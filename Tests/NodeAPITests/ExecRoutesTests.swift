import Foundation
import KubeTypes
import NodeAPI
import NodeAgent
import Testing

/// One-shot exec (`POST /exec` without Upgrade, `POST /run`) on the real containerd, with curl; and the
/// authorization matrix of the log and exec routes.
@Suite struct ExecRoutesTests {
    @Test func exitCodesOutputsAndForms() async throws {
        try await RuntimeNode.with("exec-oneshot") { bed in
            let pod = try await bed.create("sh", containers: [bed.shell("app", "exec sleep 3600")])
            let name = pod.metadata.name ?? ""
            try await bed.waitRunning(pod, "app")
            let base = "/exec/default/\(name)/app"
            let script = "command=sh&command=-c&command=echo%20out%3B%20echo%20err%20%3E%262%3B%20exit%203"

            let reply = try await bed.admin("POST", "\(base)?\(script)")
            #expect(reply.status == 200)
            let body = try json(reply.body)
            #expect(body == .object([("exitCode", .int(3)), ("stdout", .string("out\n")), ("stderr", .string("err\n"))]))

            let zero = try await bed.admin("POST", "\(base)?command=true")
            #expect(try json(zero.body) == .object([("exitCode", .int(0)), ("stdout", .string("")), ("stderr", .string(""))]))

            // output=raw: stdout as text, the exit code in a header.
            let raw = try await bed.admin("POST", "\(base)?\(script)&output=raw", extra: ["-i"])
            #expect(raw.status == 200)
            let (headers, rawBody) = splitHead(raw.body)
            #expect(headers.contains("x-swiftlet-exit-code: 3"), "\(headers)")
            #expect(headers.contains("content-type: text/plain"))
            #expect(rawBody == "out\n")

            // kubelet's /run: cmd split on whitespace, stdout then stderr.
            let run = try await bed.admin("POST", "/run/default/\(name)/app?cmd=echo%20%20hello%20world", extra: ["-i"])
            let (runHeaders, runBody) = splitHead(run.body)
            #expect(run.status == 200)
            #expect(runBody == "hello world\n")
            #expect(runHeaders.contains("x-swiftlet-exit-code: 0"))
            let runFailing = try await bed.admin("POST", "/run/default/\(name)/app?cmd=ls%20/no-such-dir", extra: ["-i"])
            let (failingHeaders, failingBody) = splitHead(runFailing.body)
            #expect(failingHeaders.contains("x-swiftlet-exit-code: 1"))
            #expect(failingBody.contains("no-such-dir"), "stderr is in /run's output")

            // Requests that cannot run.
            let missing = try await bed.admin("POST", base)
            #expect(missing.status == 400)
            #expect(statusMessage(missing.body)?.contains("at least 1 command") == true)
            #expect(try await bed.admin("POST", "/run/default/\(name)/app").status == 400)
            let badOutput = try await bed.admin("POST", "\(base)?command=true&output=yaml")
            #expect(badOutput.status == 400)
            #expect(statusMessage(badOutput.body)?.contains("output") == true)
            let badTimeout = try await bed.admin("POST", "\(base)?command=true&timeoutSeconds=-1")
            #expect(badTimeout.status == 400)
            #expect(statusMessage(badTimeout.body)?.contains("timeoutSeconds") == true)
            let unknown = try await bed.admin("POST", "/exec/default/\(name)/nope?command=true")
            #expect(unknown.status == 404)
            #expect(try await bed.admin("POST", "/exec/default/no-such-pod/app?command=true").status == 404)
            // An Upgrade request goes to the interactive handler; this node has none.
            let upgrade = try await bed.admin("POST", "\(base)?command=true", extra: [
                "-H", "Connection: Upgrade", "-H", "Upgrade: websocket", "-H", "Sec-WebSocket-Version: 13",
                "-H", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="])
            #expect(upgrade.status == 400)
            #expect(statusMessage(upgrade.body)?.hasPrefix("interactive exec needs") == true)
        }
    }

    /// `timeoutSeconds` bounds the command: 504 after about that long, not after the command's own time.
    @Test func timeout() async throws {
        try await RuntimeNode.with("exec-timeout") { bed in
            let pod = try await bed.create("slow", containers: [bed.shell("app", "exec sleep 3600")])
            try await bed.waitRunning(pod, "app")
            let start = ContinuousClock.now
            let reply = try await bed.admin("POST", "/exec/default/\(pod.metadata.name ?? "")/app?command=sleep&command=20&timeoutSeconds=1")
            let elapsed = ContinuousClock.now - start
            #expect(reply.status == 504, "\(reply.body)")
            #expect(reply.body.contains("\"reason\":\"Timeout\""))
            #expect(elapsed < .seconds(10))
        }
    }

    /// Who may do what: the viewer reads logs but never execs; the metrics role does neither; anonymous gets 401;
    /// the admin does both.
    @Test func authorizationMatrix() async throws {
        try await RuntimeNode.with("exec-auth") { bed in
            let pod = try await bed.create("auth", containers: [bed.shell("app", "echo hi; exec sleep 3600")])
            let name = pod.metadata.name ?? ""
            try await bed.waitRunning(pod, "app")
            try await bed.poll(bed.logsPath(pod, "app")) { $0.body == "hi\n" }
            let requests: [(String, String)] = [
                ("GET", "/containerLogs/default/\(name)/app"),
                ("GET", "/containerLogs/default/\(name)"),
                ("GET", "/logs/default/\(name)/app"),
                ("POST", "/exec/default/\(name)/app?command=true"),
                ("POST", "/run/default/\(name)/app?cmd=true"),
            ]
            let expected: [String: [Int]] = [
                "admin": [200, 200, 200, 200, 200],
                "viewer": [200, 200, 200, 403, 403],
                "metrics": [403, 403, 403, 403, 403],
                "norole": [403, 403, 403, 403, 403],
                "anonymous": [401, 401, 401, 401, 401],
            ]
            let credentials: [(String, TestNode.Credential)] = [
                ("admin", .token("token-admin")), ("viewer", .token("token-viewer")),
                ("metrics", .certificate("metrics")), ("norole", .token("token-norole")), ("anonymous", .none),
            ]
            for (who, credential) in credentials {
                var got: [Int] = []
                for (method, path) in requests {
                    got.append(try await bed.node.curl(method, path, credential: credential).status)
                }
                #expect(got == expected[who], "\(who)")
            }
            // Exec needs create on pods/exec whatever the method: a GET is not a way around it.
            let viewerGet = try await bed.node.curl("GET", "/exec/default/\(name)/app?command=true", credential: .token("token-viewer"))
            #expect(viewerGet.status == 403 || viewerGet.status == 405, "\(viewerGet.status)")
        }
    }
}

/// Splits `curl -i` output into lower-cased header lines and the body.
func splitHead(_ text: String) -> (headers: [String], body: String) {
    let normalized = text.replacingOccurrences(of: "\r\n", with: "\n")
    guard let range = normalized.range(of: "\n\n") else { return ([], normalized) }
    let headers = normalized[..<range.lowerBound].split(separator: "\n").map { $0.lowercased() }
    return (headers, String(normalized[range.upperBound...]))
}
