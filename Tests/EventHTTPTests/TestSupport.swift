import EventHTTP
import Foundation
import Logging
import Testing

/// Errors raised by the test helpers themselves.
struct HelperError: Error, CustomStringConvertible {
    var description: String
}

/// Runs a program to completion (bounded by `timeout`), capturing stdout and stderr through temporary files.
func run(_ executable: String, _ arguments: [String], timeout: Duration = .seconds(20)) async throws
    -> (status: Int32, stdout: String, stderr: String) {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("eh-proc-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let out = dir.appendingPathComponent("out"), err = dir.appendingPathComponent("err")
    FileManager.default.createFile(atPath: out.path, contents: nil)
    FileManager.default.createFile(atPath: err.path, contents: nil)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.standardOutput = try FileHandle(forWritingTo: out)
    process.standardError = try FileHandle(forWritingTo: err)
    let status: Int32 = try await withCheckedThrowingContinuation { continuation in
        process.terminationHandler = { p in continuation.resume(returning: p.terminationStatus) }
        do { try process.run() } catch { continuation.resume(throwing: error) }
        let pid = process.processIdentifier
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: Double(timeout.components.seconds))
            if process.isRunning { kill(pid, SIGKILL) }
        }
    }
    return (status, (try? String(contentsOf: out, encoding: .utf8)) ?? "", (try? String(contentsOf: err, encoding: .utf8)) ?? "")
}

/// Runs one command of the Python client (see PythonClient.swift) and decodes its JSON answer.
func python(_ arguments: [String: Any], timeout: Duration = .seconds(20)) async throws -> [String: Any] {
    let script = FileManager.default.temporaryDirectory.appendingPathComponent("eventhttp-client-v1.py")
    if !FileManager.default.fileExists(atPath: script.path) {
        let tmp = script.path + ".\(UUID().uuidString)"
        try PythonClient.source.write(toFile: tmp, atomically: true, encoding: .utf8)
        _ = rename(tmp, script.path)
    }
    let json = String(decoding: try JSONSerialization.data(withJSONObject: arguments), as: UTF8.self)
    let result = try await run("/usr/bin/python3", [script.path, json], timeout: timeout)
    guard result.status == 0, let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] else {
        throw HelperError(description: "python client failed (\(result.status)): \(result.stderr)")
    }
    return object
}

/// Base64 of a string, for the Python client's byte arguments.
func b64(_ s: String) -> String { Data(s.utf8).base64EncodedString() }
func b64(_ b: [UInt8]) -> String { Data(b).base64EncodedString() }

/// Collects log records so tests can check the access-log line.
final class CapturedLogs: @unchecked Sendable {
    private let lock = NSLock()
    private var records: [(level: Logger.Level, message: String, metadata: [String: String])] = []

    func append(_ level: Logger.Level, _ message: String, _ metadata: [String: String]) {
        lock.lock()
        records.append((level, message, metadata))
        lock.unlock()
    }

    var all: [(level: Logger.Level, message: String, metadata: [String: String])] {
        lock.lock()
        defer { lock.unlock() }
        return records
    }
}

struct CapturingLogHandler: LogHandler {
    let sink: CapturedLogs
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var flat: [String: String] = [:]
        for (k, v) in metadata { flat[k] = "\(v)" }
        for (k, v) in event.metadata ?? [:] { flat[k] = "\(v)" }
        sink.append(event.level, "\(event.message)", flat)
    }
}

/// A PKI generated once per test process (CA + serving cert for 127.0.0.1/localhost), shared by TLS tests.
enum SharedPKI {
    static let directory: String = {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("eh-pki-\(getpid())").path
        return d
    }()

    static let files: PKIFiles = {
        // Static initialisation runs once (swift_once), even when tests race to it.
        do {
            return try PKIBootstrap.ensure(directory: directory, hostnames: ["localhost"],
                                           ipAddresses: ["127.0.0.1", "::1"], logger: Logger(label: "test"))
        } catch {
            fatalError("test PKI: \(error)")
        }
    }()
}

/// A running server on 127.0.0.1 with an ephemeral port.
struct TestServer {
    let server: HTTPServer
    let port: Int
    let logs: CapturedLogs

    static func start(tls: Bool = true, clientCA: String? = nil, router: Router, middleware: [any HTTPMiddleware] = [],
                      configure: (inout HTTPServerConfiguration) -> Void = { _ in }) throws -> TestServer {
        var config = HTTPServerConfiguration()
        config.address = "127.0.0.1"
        config.port = 0
        if tls {
            let pki = SharedPKI.files
            config.tls = TLSConfiguration(certificateChainFile: pki.certificate, privateKeyFile: pki.privateKey,
                                          clientCAFile: clientCA)
        }
        configure(&config)
        let logs = CapturedLogs()
        let logger = Logger(label: "eventhttp-test") { _ in CapturingLogHandler(sink: logs) }
        let server = HTTPServer(configuration: config, router: router, middleware: middleware, logger: logger)
        try server.start()
        return TestServer(server: server, port: server.boundPort, logs: logs)
    }

    func stop() async { await server.shutdown(gracePeriod: .seconds(2)) }

    /// curl against this server over TLS with the shared CA, returning (exit status, body, stderr).
    func curl(_ path: String, _ extra: [String] = []) async throws -> (status: Int32, stdout: String, stderr: String) {
        try await run("/usr/bin/curl", ["-sS", "--max-time", "10", "--cacert", SharedPKI.files.caCertificate]
                      + extra + ["https://localhost:\(port)\(path)", "--resolve", "localhost:\(port):127.0.0.1"])
    }
}

/// Splits a raw HTTP/1.1 response into status, headers and body.
func parseResponse(_ raw: String) -> (status: Int, headers: [String: String], body: String)? {
    guard let split = raw.range(of: "\r\n\r\n") else { return nil }
    let lines = raw[..<split.lowerBound].components(separatedBy: "\r\n")
    guard let first = lines.first, first.hasPrefix("HTTP/1.1 "), let status = Int(first.dropFirst(9).prefix(3)) else {
        return nil
    }
    var headers: [String: String] = [:]
    for line in lines.dropFirst() {
        if let colon = line.firstIndex(of: ":") {
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
    }
    return (status, headers, String(raw[split.upperBound...]))
}
