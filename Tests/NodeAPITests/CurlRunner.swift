import Foundation

/// Runs curl, a real HTTP client, and splits its output into body and status.
///
/// Callers pass `-w "\n%{http_code}"` semantics through `run`: the status is the last output line, 0 when curl got
/// no HTTP answer. Blocking, so async callers go through `offPool`.
enum CurlRunner {
    struct Result: Sendable {
        var status: Int
        var body: String
        var exitCode: Int32
    }

    static func run(_ arguments: [String]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = ["-s", "-o", "-", "-w", "\n%{http_code}"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        var lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let status = Int(lines.popLast() ?? "") ?? 0
        return Result(status: status, body: lines.joined(separator: "\n"), exitCode: process.terminationStatus)
    }
}
