import Foundation
import Synchronization

/// A `GET /pods?watch=true` stream read on its own thread; it stamps each event with the monotonic clock the moment
/// its line arrives, before parsing, and remembers per pod when it was first seen running and when it was deleted.
final class PodWatch: Sendable {
    /// What the watch has seen of one pod.
    struct PodTimes: Sendable {
        /// First event with phase Running and every container running and started.
        var runningAt: UInt64?
        /// The DELETED event.
        var deletedAt: UInt64?
        /// Phase Failed, or a container waiting with an error reason (ErrImagePull, CreateContainerError...).
        var failure: String?
    }

    private struct State {
        var pods: [String: PodTimes] = [:]
        var streamError: String?
        var ended = false
        var events = 0
    }

    private let state = Mutex(State())
    private let connection: HTTPSConnection

    /// Opens the watch and starts reading; returns once the server has answered 200.
    init(port: Int, caFile: String, token: String, timeoutSeconds: Int) throws {
        connection = try HTTPSConnection(port: port, caFile: caFile, readTimeoutSeconds: timeoutSeconds + 30)
        try connection.send(method: "GET", path: "/pods?watch=true&timeoutSeconds=\(timeoutSeconds)", token: token)
        let head = try connection.readHead()
        guard head.status == 200 else {
            throw BenchmarkError(message: "watch answered \(head.status): \(try connection.readResponse().text)")
        }
        let thread = Thread { [self] in readLoop() }
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Ends the stream (the reading thread sees the socket shut down and exits).
    func stop() {
        connection.shutdownSocket()
    }

    /// What the watch has seen of `name` so far.
    func times(_ name: String) -> PodTimes {
        state.withLock { $0.pods[name] ?? PodTimes() }
    }

    /// Events read so far.
    var eventCount: Int { state.withLock { $0.events } }

    /// Why the stream stopped, when it stopped before `stop()`.
    var failure: String? {
        state.withLock { $0.streamError ?? ($0.ended ? "the watch stream ended" : nil) }
    }

    /// Polls (every millisecond) until `condition` holds for the watch's view or the deadline passes; returns
    /// whether it held. The timestamps themselves come from the reading thread, so polling adds nothing to them.
    func wait(timeout: Duration, until condition: @Sendable (PodWatch) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition(self) { return true }
            if failure != nil { return condition(self) }
            try? await Task.sleep(for: .milliseconds(1))
        }
        return condition(self)
    }

    private func readLoop() {
        do {
            while let line = try connection.readStreamLine() {
                let arrivedAt = monotonicNanos()
                guard !line.isEmpty else { continue }
                record(line, at: arrivedAt)
            }
            state.withLock { $0.ended = true }
        } catch {
            state.withLock { $0.streamError = "\(error)" }
        }
    }

    private func record(_ line: [UInt8], at time: UInt64) {
        guard let event = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
              let type = event["type"] as? String,
              let object = event["object"] as? [String: Any],
              let metadata = object["metadata"] as? [String: Any],
              let name = metadata["name"] as? String else {
            state.withLock {
                $0.events += 1
                $0.streamError = $0.streamError ?? "unparseable watch line: \(String(decoding: line.prefix(200), as: UTF8.self))"
            }
            return
        }
        let running = type != "DELETED" && Self.isRunningAndStarted(object)
        let failure = type == "DELETED" ? nil : Self.failureReason(object)
        state.withLock { state in
            state.events += 1
            var times = state.pods[name] ?? PodTimes()
            if running, times.runningAt == nil { times.runningAt = time }
            if type == "DELETED", times.deletedAt == nil { times.deletedAt = time }
            if let failure, times.failure == nil { times.failure = failure }
            state.pods[name] = times
        }
    }

    /// Phase Running and every container of the spec reported running with `started` not false.
    static func isRunningAndStarted(_ pod: [String: Any]) -> Bool {
        guard let status = pod["status"] as? [String: Any], status["phase"] as? String == "Running",
              let spec = pod["spec"] as? [String: Any], let containers = spec["containers"] as? [Any],
              let statuses = status["containerStatuses"] as? [[String: Any]], statuses.count == containers.count else {
            return false
        }
        return statuses.allSatisfy { container in
            let state = container["state"] as? [String: Any]
            return state?["running"] != nil && (container["started"] as? Bool ?? true)
        }
    }

    /// A reason the pod will not run: phase Failed or a container waiting on an error.
    static func failureReason(_ pod: [String: Any]) -> String? {
        guard let status = pod["status"] as? [String: Any] else { return nil }
        if status["phase"] as? String == "Failed" { return "phase Failed: \(status["message"] ?? status["reason"] ?? "")" }
        for container in status["containerStatuses"] as? [[String: Any]] ?? [] {
            if let waiting = (container["state"] as? [String: Any])?["waiting"] as? [String: Any],
               let reason = waiting["reason"] as? String, reason.hasSuffix("Error") || reason.hasPrefix("ErrImage") || reason == "CrashLoopBackOff" {
                return "\(reason): \(waiting["message"] ?? "")"
            }
        }
        return nil
    }
}
