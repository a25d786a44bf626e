import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The offline test bed of deploy/testbed/: where the repository is, whether the registry answers, and bringing
/// it up with up.sh when it does not.
public enum TestBed {
    /// The local registry's address.
    public static let registry = "127.0.0.1:5000"
    /// Where each test process keeps its containerd instances: `<runBase>/<pid>/<instance>/`. down.sh looks
    /// here (the same `SWIFTLET_TEST_RUN_BASE` override applies to both).
    public static var runBase: String {
        ProcessInfo.processInfo.environment["SWIFTLET_TEST_RUN_BASE"] ?? "/run/swiftlet-test"
    }

    /// The repository root, found from this file's path (Tests/TestSupport/TestBed.swift).
    public static func repositoryRoot(filePath: String = #filePath) -> String {
        var url = URL(fileURLWithPath: filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }

    /// True when the registry's API answers `GET /v2/` with 200 within about two seconds.
    public static func registryAnswers() -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(5000).bigEndian
        address.sin_addr.s_addr = in_addr_t(0x7f00_0001).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { return false }
        let request = Array("GET /v2/ HTTP/1.0\r\nHost: \(registry)\r\n\r\n".utf8)
        guard send(fd, request, request.count, 0) == request.count else { return false }
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = recv(fd, &buffer, buffer.count, 0)
        guard count > 12 else { return false }
        let statusLine = String(decoding: buffer[0..<count], as: UTF8.self)
        return statusLine.hasPrefix("HTTP/1.1 200") || statusLine.hasPrefix("HTTP/1.0 200")
    }

    /// Runs deploy/testbed/up.sh unless the registry already answers.
    /// - Throws: `TestBedError` with the end of up.sh's output when it fails or takes longer than `timeout`.
    public static func ensureUp(timeout: Duration = .seconds(300)) async throws {
        if registryAnswers() { return }
        try await runScript("up.sh", arguments: [], timeout: timeout)
        guard registryAnswers() else {
            throw TestBedError(message: "deploy/testbed/up.sh finished but \(registry) does not answer")
        }
    }

    /// Runs a script of deploy/testbed/ with bash; its output goes to a log file quoted in the error.
    public static func runScript(_ name: String, arguments: [String], timeout: Duration) async throws {
        let script = repositoryRoot() + "/deploy/testbed/" + name
        let logPath = NSTemporaryDirectory() + "swiftlet-testbed-\(getpid())-\(name).log"
        FileManager.default.createFile(atPath: logPath, contents: nil)
        guard let log = FileHandle(forWritingAtPath: logPath) else {
            throw TestBedError(message: "cannot create \(logPath)")
        }
        defer { try? log.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script] + arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = log
        process.standardError = log
        try process.run()
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now >= deadline {
                process.terminate()
                throw TestBedError(message: "\(script) took longer than \(timeout); see \(logPath)")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        let output = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        guard process.terminationStatus == 0 else {
            throw TestBedError(
                message: "\(script) failed with status \(process.terminationStatus): "
                    + output.split(separator: "\n").suffix(10).joined(separator: "\n"))
        }
    }
}

/// A test bed failure, with what to look at.
public struct TestBedError: Error, CustomStringConvertible, Sendable {
    /// The message.
    public var message: String
    /// Creates an error.
    public init(message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}
