import CRI
import KubeTypes

/// What a probe or hook runs against: one running container instance of a pod.
struct ProbeTarget: Sendable {
    /// The runtime, for exec.
    var runtime: any ContainerRuntime
    /// The agent's HTTP client, for httpGet and tcpSocket.
    var http: HTTPProbeClient
    /// The CRI container id.
    var containerID: String
    /// The container's spec (its ports resolve named probe ports).
    var container: Container
    /// The default host of httpGet, tcpSocket and grpc: the pod IP, or 127.0.0.1 for a host-network pod
    /// (kubelet uses the pod IP, which is the node's address there; the loopback reaches the same sockets).
    var host: String
    /// `kube-probe` for probes, `kube-lifecycle` for hooks: the User-Agent kubelet sends.
    var userAgentComponent: String = "kube-probe"

    /// kubelet's `ResolveContainerPort`: a number as is, a name looked up among the container's ports.
    func resolvePort(_ port: IntOrString) throws(ProbeSetupError) -> Int {
        let number: Int32
        switch port {
        case .int(let value):
            number = value
        case .string(let name):
            if let value = Int32(name) {
                number = value
            } else if let match = container.ports?.first(where: { $0.name == name }) {
                number = match.containerPort
            } else {
                throw ProbeSetupError(message: "couldn't find port: \(name) in \(container.name)")
            }
        }
        guard number > 0 && number < 65536 else {
            throw ProbeSetupError(message: "invalid port number: \(number)")
        }
        return Int(number)
    }
}

/// A probe that cannot be run as specified (an unknown named port, no handler).
struct ProbeSetupError: Error, Sendable, CustomStringConvertible {
    var message: String
    var description: String { message }
}
