import Foundation
import Testing

/// The `swiftlet` binary end to end: first-start security bootstrap, the health routes, 401 elsewhere, the
/// config file, and a clean exit on SIGTERM.
@Suite struct SwiftletExecutableTests {
    /// The `swiftlet` executable SwiftPM built beside this test binary.
    static var binary: String {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("swiftlet").path
    }

    /// A running swiftlet child process with its own root directory.
    final class Agent {
        let root: String
        let process = Process()
        private(set) var port: Int
        let logPath: String

        let stateDirectory: String

        init(arguments: [String], port: Int, root existingRoot: String? = nil, stateDirectory: String? = nil) throws {
            root = existingRoot ?? FileManager.default.temporaryDirectory.appendingPathComponent("swiftlet-e2e-\(UUID().uuidString.prefix(8))").path
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            self.port = port
            logPath = root + "/agent-\(UUID().uuidString.prefix(8)).log"
            FileManager.default.createFile(atPath: logPath, contents: nil)
            process.executableURL = URL(fileURLWithPath: SwiftletExecutableTests.binary)
            self.stateDirectory = stateDirectory ?? root + "/state"
            process.arguments = ["--root-dir", self.stateDirectory, "--address", "127.0.0.1", "--port", String(port)] + arguments
            let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
            process.standardOutput = log
            process.standardError = log
            try process.run()
        }

        var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

        /// curl against the agent; returns (status, body). Status 0 means no HTTP answer.
        func curl(_ path: String, token: String? = nil, scheme: String = "https", method: String = "GET") async throws -> (Int, String) {
            var arguments = ["--max-time", "30", "-X", method]
            if scheme == "https" { arguments += ["--cacert", stateDirectory + "/pki/ca.crt"] }
            if let token { arguments += ["-H", "Authorization: Bearer \(token)"] }
            arguments.append("\(scheme)://127.0.0.1:\(port)\(path)")
            let finalArguments = arguments
            let result = try await offPool { try CurlRunner.run(finalArguments) }
            return (result.status, result.body)
        }

        /// Polls `/healthz` until it answers 200 or the deadline passes.
        func waitUntilServing(scheme: String = "https", timeout: Duration = .seconds(20)) async throws {
            let clock = ContinuousClock()
            let deadline = clock.now + timeout
            while clock.now < deadline {
                if process.isRunning == false { break }
                if port == 0, let bound = Self.boundPort(in: log) { port = bound }
                if port != 0, (try? await curl("/healthz", scheme: scheme))?.0 == 200 { return }
                try await Task.sleep(for: .milliseconds(100))
            }
            Issue.record("swiftlet did not serve /healthz within \(timeout); log:\n\(log)")
            throw CancellationError()
        }

        /// The port from the "serving https://ADDRESS:PORT" log line (the agent was started with port 0).
        static func boundPort(in log: String) -> Int? {
            guard let range = log.range(of: "serving http") else { return nil }
            let rest = log[range.upperBound...].prefix(while: { $0 != " " && $0 != "\n" })
            return rest.split(separator: ":").last.flatMap { Int($0) }
        }

        /// Sends SIGTERM and returns the exit status (waits at most `timeout`).
        func terminate(timeout: Duration = .seconds(20)) async -> Int32? {
            guard process.isRunning else { return process.terminationStatus }
            kill(process.processIdentifier, SIGTERM)
            let clock = ContinuousClock()
            let deadline = clock.now + timeout
            while process.isRunning && clock.now < deadline {
                try? await Task.sleep(for: .milliseconds(50))
            }
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                return nil
            }
            return process.terminationStatus
        }

        func cleanUp(keepRoot: Bool = false) {
            if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
            // A managed containerd outlives a killed agent (as it should in production); tests stop it here.
            if let text = try? String(contentsOfFile: stateDirectory + "/containerd/containerd.pid", encoding: .utf8),
               let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 1 {
                kill(pid, SIGKILL)
            }
            if !keepRoot { try? FileManager.default.removeItem(atPath: root) }
        }
    }

    /// Port 0: the agent picks a free port and logs it.
    static func freePort() -> Int { 0 }

    @Test func firstStartGeneratesCredentialsAndGuardsEveryRoute() async throws {
        let agent = try Agent(arguments: ["--container-runtime-endpoint", "unix:///nonexistent/containerd.sock"], port: Self.freePort())
        defer { agent.cleanUp() }
        try await agent.waitUntilServing()

        let state = agent.root + "/state"
        for file in ["pki/ca.crt", "pki/server.crt", "pki/server.key", "pki/ca.key", "admin.token"] {
            #expect(FileManager.default.fileExists(atPath: "\(state)/\(file)"), "\(file) missing")
        }
        for secret in ["pki/server.key", "pki/ca.key", "admin.token"] {
            let attributes = try FileManager.default.attributesOfItem(atPath: "\(state)/\(secret)")
            let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
            #expect(mode == 0o600, "\(secret) has mode \(String(mode, radix: 8))")
        }
        let token = try String(contentsOfFile: state + "/admin.token", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.count == 64)

        #expect(try await agent.curl("/healthz") == (200, "ok"))
        #expect(try await agent.curl("/livez").0 == 200)
        let ready = try await agent.curl("/readyz")
        #expect(ready.0 == 503, "readyz with no runtime: \(ready)")
        #expect(ready.1.contains("\"reason\":\"ServiceUnavailable\""))
        #expect(try await agent.curl("/pods").0 == 401)
        #expect(try await agent.curl("/anything").0 == 401)
        #expect(try await agent.curl("/anything", token: "wrong").0 == 401)
        #expect(try await agent.curl("/anything", token: token).0 == 404)

        let status = await agent.terminate()
        #expect(status == 0, "exit status after SIGTERM; log:\n\(agent.log)")
    }

    @Test func restartKeepsTheGeneratedCredentials() async throws {
        let port = 0
        let first = try Agent(arguments: ["--container-runtime-endpoint", "unix:///nonexistent.sock"], port: port)
        defer { first.cleanUp() }
        try await first.waitUntilServing()
        let state = first.root + "/state"
        let token = try String(contentsOfFile: state + "/admin.token", encoding: .utf8)
        let ca = try String(contentsOfFile: state + "/pki/ca.crt", encoding: .utf8)
        _ = await first.terminate()

        let second = try Agent(arguments: ["--container-runtime-endpoint", "unix:///nonexistent.sock"], port: port, root: first.root)
        defer { second.cleanUp() }
        try await second.waitUntilServing()
        #expect(try String(contentsOfFile: state + "/admin.token", encoding: .utf8) == token)
        #expect(try String(contentsOfFile: state + "/pki/ca.crt", encoding: .utf8) == ca)
        #expect(second.log.contains("using admin bearer token"), "log:\n\(second.log)")
        #expect(await second.terminate() == 0)
    }

    @Test func configFileSuppliesSettingsAndFlagsWin() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("swiftlet-cfg-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let filePort = 1
        try """
            insecureHTTP: true
            port: \(filePort)
            containerRuntimeEndpoint: unix:///nonexistent.sock
            """.write(toFile: directory + "/config.yaml", atomically: true, encoding: .utf8)
        // The file says port 1 (privileged, unused) and plain HTTP; the --port 0 flag must win over the file.
        let agent = try Agent(arguments: ["--config", directory + "/config.yaml"], port: 0)
        defer { agent.cleanUp() }
        try await agent.waitUntilServing(scheme: "http")
        #expect(agent.port != 1)
        #expect(try await agent.curl("/healthz", scheme: "http") == (200, "ok"))
        #expect(agent.log.contains("plain HTTP"), "no warning about plain HTTP in:\n\(agent.log)")
        _ = await agent.terminate()

        try "insecureHTTP: true\nprot: 1\n".write(toFile: directory + "/bad.yaml", atomically: true, encoding: .utf8)
        let bad = try Agent(arguments: ["--config", directory + "/bad.yaml"], port: Self.freePort())
        defer { bad.cleanUp() }
        let badProcess = bad.process
        _ = try await offPool { badProcess.waitUntilExit() }
        #expect(bad.process.terminationStatus != 0)
        #expect(bad.log.contains("prot"), "the error should name the unknown key:\n\(bad.log)")
    }
}
