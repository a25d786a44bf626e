import Dispatch
import Foundation

/// Runs blocking work on a Dispatch thread so Swift's two-thread cooperative pool stays free for the server.
func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
    }
}

/// A child process's exit status and output.
struct ProcessOutput: Sendable {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs `executable` with `arguments` (and `input` on stdin), killing it after `timeout` seconds.
func runProcess(_ executable: String, _ arguments: [String], input: [UInt8]? = nil, timeout: Double = 60) async throws -> ProcessOutput {
    try await offPool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let inPipe = Pipe()
        process.standardInput = input == nil ? FileHandle.nullDevice : inPipe
        try process.run()
        let killer = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: killer)
        if let input {
            DispatchQueue.global().async {
                inPipe.fileHandleForWriting.write(Data(input))
                try? inPipe.fileHandleForWriting.close()
            }
        }
        // Read stderr concurrently so neither pipe fills up and blocks the child.
        let errData = LockedData()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errData.set(err.fileHandleForReading.readDataToEndOfFile())
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        killer.cancel()
        return ProcessOutput(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                             stderr: String(decoding: errData.get(), as: UTF8.self))
    }
}

final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func set(_ value: Data) { lock.lock(); data = value; lock.unlock() }
    func get() -> Data { lock.lock(); defer { lock.unlock() }; return data }
}

/// Checks exposition text with promtool: it must parse, and the only lint findings allowed are listed in
/// `allowedLint` (kubelet's own names that promtool's naming rules dislike, kept for compatibility).
func promtoolProblems(_ text: String, allowedLint: [String] = []) async throws -> [String] {
    let result = try await runProcess("/usr/bin/promtool", ["check", "metrics"], input: Array(text.utf8), timeout: 30)
    if result.status == 0 { return [] }
    if result.status != 3 { return ["promtool exit \(result.status): \(result.stdout) \(result.stderr)"] }
    let lines = (result.stdout + "\n" + result.stderr).split(separator: "\n").map(String.init).filter { !$0.isEmpty }
    return lines.filter { line in !allowedLint.contains { line.hasPrefix($0) } }
}
