import Foundation

/// Runs Tests/Scripts/stream_client.py (Python `websocket-client`), a real WebSocket user, off the cooperative pool.
enum StreamUser {
    /// One step of the script (see the script's docstring).
    static func send(_ channel: Int, _ data: String) -> [String: Any] { ["op": "send", "channel": channel, "data": data] }
    static func raw(_ hex: String) -> [String: Any] { ["op": "raw", "hex": hex] }
    static func wait(_ channel: Int, _ text: String) -> [String: Any] { ["op": "wait", "channel": channel, "contains": text] }
    static func sleep(_ seconds: Double) -> [String: Any] { ["op": "sleep", "seconds": seconds] }
    static var close: [String: Any] { ["op": "close"] }
    static var readAll: [String: Any] { ["op": "readall"] }

    /// What the user saw.
    struct Outcome: Sendable {
        var status: Int?
        var subprotocol: String?
        var frames: [(channel: Int, data: [UInt8])]
        var closeCode: Int?
        var closed: Bool
        var error: String?
        var elapsed: Double

        /// Everything received on `channel`, concatenated, as text.
        func text(_ channel: Int) -> String {
            String(decoding: frames.filter { $0.channel == channel }.flatMap(\.data), as: UTF8.self)
        }
    }

    static func run(repositoryRoot: String, url: String, subprotocols: [String], steps: [[String: Any]],
                    timeout: Double = 20, extra: [String: Any] = [:]) async throws -> Outcome {
        var arguments: [String: Any] = ["url": url, "subprotocols": subprotocols, "steps": steps, "timeout": timeout]
        arguments.merge(extra) { _, new in new }
        let json = String(decoding: try JSONSerialization.data(withJSONObject: arguments), as: UTF8.self)
        let script = repositoryRoot + "/Tests/Scripts/stream_client.py"
        let output = try await offPool { try runPython(script, json, timeout: timeout + 15) }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(output.utf8))) as? [String: Any] else {
            throw StreamUserFailure(output: output)
        }
        let frames = (object["frames"] as? [[Any]] ?? []).map { frame in
            (channel: frame[0] as? Int ?? -1, data: Array(Data(base64Encoded: frame[1] as? String ?? "") ?? Data()))
        }
        return Outcome(status: object["status"] as? Int, subprotocol: object["subprotocol"] as? String, frames: frames,
                       closeCode: object["closeCode"] as? Int, closed: object["closed"] as? Bool ?? false,
                       error: object["error"] as? String, elapsed: object["elapsed"] as? Double ?? 0)
    }

    private static func runPython(_ script: String, _ json: String, timeout: Double) throws -> String {
        let process = Process()
        // python3 from PATH: the interpreter deploy/test.sh installed websocket-client into.
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, json]
        let output = Pipe()
        process.standardOutput = output
        // stderr joins stdout so a crash of the script shows in the test failure.
        process.standardError = output
        try process.run()
        // A hard bound on the client itself, in case the script hangs despite its own timeouts.
        let killer = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: killer)
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        killer.cancel()
        return String(decoding: data, as: UTF8.self)
    }
}

struct StreamUserFailure: Error, CustomStringConvertible {
    var output: String
    var description: String { "the stream client printed no JSON: \(output.prefix(500))" }
}

/// Runs blocking work on a Dispatch thread instead of Swift's cooperative pool.
func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
    }
}
