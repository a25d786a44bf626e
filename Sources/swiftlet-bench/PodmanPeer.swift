import Foundation

/// Podman's REST service (`podman system service`) as the side-by-side peer: `POST /libpod/play/kube` of the same Pod
/// YAML, timed to the pod's container running. deploy/bench/podman-service.sh sets the service up the way
/// shared/notes/podman-peer-facts.md says works on these machines (runc, default_ulimits, a local pause image).
final class PodmanPeer: Sendable {
    private let socket: String

    /// Checks that the service on `socket` answers `_ping`.
    init(socket: String) throws {
        self.socket = socket
        let ping = try HTTPSConnection(unixSocket: socket, readTimeoutSeconds: 60)
            .request(method: "GET", path: "/v4.0.0/libpod/_ping", token: nil)
        guard ping.status == 200 else { throw BenchmarkError(message: "podman _ping answered \(ping.status)") }
    }

    /// Plays the pod and polls (keep-alive, about 1 ms apart) until its containers run; returns the milliseconds
    /// from the request sent to the first inspect showing the pod Running. The pod is then removed (not timed).
    func playKube(name: String, body: String) async throws -> Double {
        let socket = socket
        return try await onThread {
            // A connection per pod, opened before the clock starts: the service may close a kept-alive connection
            // after the kill and delete that end the previous pod, and the next request would find it gone.
            let connection = try HTTPSConnection(unixSocket: socket, readTimeoutSeconds: 60)
            // JSON is YAML; the service needs a Content-Type or it answers 500.
            let sentAt = try connection.send(method: "POST", path: "/v4.0.0/libpod/play/kube", token: nil,
                                             body: Array(body.utf8), contentType: "application/x-yaml")
            let played = try connection.readResponse()
            defer { Self.remove(name, on: connection) }
            guard played.status == 200 else {
                throw BenchmarkError(message: "play/kube answered \(played.status): \(played.text.prefix(300))")
            }
            let deadline = monotonicNanos() + 30_000_000_000
            while monotonicNanos() < deadline {
                let inspect = try connection.request(method: "GET", path: "/v4.0.0/libpod/pods/\(name)/json", token: nil)
                let now = monotonicNanos()
                if inspect.status == 200,
                   let object = try JSONSerialization.jsonObject(with: Data(inspect.body)) as? [String: Any],
                   Self.allRunning(object) {
                    return elapsedMilliseconds(from: sentAt, to: now)
                }
                usleep(1000)
            }
            throw BenchmarkError(message: "podman pod \(name) not running within 30 s")
        }
    }

    /// Kill, wait for podman's cleanup, then delete: a forced delete of a running pod waits about 10 s here (the
    /// stop timeout is not honoured), while this takes a few hundred milliseconds. Bounded at 15 s of polling.
    static func remove(_ name: String, on connection: HTTPSConnection) {
        _ = try? connection.request(method: "POST", path: "/v4.0.0/libpod/pods/\(name)/kill?signal=SIGKILL", token: nil)
        let deadline = monotonicNanos() + 15_000_000_000
        while monotonicNanos() < deadline {
            guard let inspect = try? connection.request(method: "GET", path: "/v4.0.0/libpod/pods/\(name)/json", token: nil),
                  inspect.status == 200,
                  let object = try? JSONSerialization.jsonObject(with: Data(inspect.body)) as? [String: Any] else { break }
            let containers = object["Containers"] as? [[String: Any]] ?? []
            if !containers.contains(where: { ($0["State"] as? String)?.lowercased() == "running" }) { break }
            usleep(20_000)
        }
        _ = try? connection.request(method: "DELETE", path: "/v4.0.0/libpod/pods/\(name)?force=true", token: nil)
    }

    /// The pod is Running and so is every container in it (the infra one included).
    static func allRunning(_ pod: [String: Any]) -> Bool {
        guard pod["State"] as? String == "Running", let containers = pod["Containers"] as? [[String: Any]],
              !containers.isEmpty else { return false }
        return containers.allSatisfy { ($0["State"] as? String)?.lowercased() == "running" }
    }
}
