import KubeTypes
import NIOCore
import NIOPosix

/// A tcpSocket probe: an open connection within the timeout is success; nothing is sent.
struct TCPSocketProbe: ProbeHandler {
    var action: TCPSocketAction

    func run(_ target: ProbeTarget, timeout: Duration) async -> ProbeOutcome {
        let port: Int
        do { port = try target.resolvePort(action.port) } catch { return .error(error.message) }
        let host = (action.host?.isEmpty == false ? action.host : nil) ?? target.host
        let address = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        do {
            try await Self.connect(host: host, port: port, timeout: timeout)
            return .success()
        } catch {
            return .failure("dial tcp \(address): \(error)")
        }
    }

    /// Opens and at once closes a TCP connection on NIO's shared loops.
    static func connect(host: String, port: Int, timeout: Duration) async throws {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.nanoseconds(max(1, timeout.nanoseconds)))
            .connect(host: host, port: port).get()
        try? await channel.close().get()
    }
}
