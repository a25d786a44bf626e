import KubeTypes

/// A tcpSocket probe: an open connection within the timeout is success; nothing is sent.
struct TCPSocketProbe: ProbeHandler {
    var action: TCPSocketAction

    func run(_ target: ProbeTarget, timeout: Duration) async -> ProbeOutcome {
        let port: Int
        do { port = try target.resolvePort(action.port) } catch { return .error(error.message) }
        let host = (action.host?.isEmpty == false ? action.host : nil) ?? target.host
        do {
            try await target.http.connect(host: host, port: port, timeout: timeout)
            return .success()
        } catch {
            return .failure(error.message)
        }
    }
}
