/// A health check of a container; exactly one handler (`exec`, `httpGet`, `tcpSocket`, `grpc`) is set.
public struct Probe: Codable, Sendable, Equatable {
    /// Run a command in the container; exit 0 is success.
    public var exec: ExecAction?
    /// HTTP GET; a status in 200..<400 is success.
    public var httpGet: HTTPGetAction?
    /// TCP connect; an open connection is success.
    public var tcpSocket: TCPSocketAction?
    /// gRPC health check.
    public var grpc: GRPCAction?
    /// Seconds after start before the first probe.
    public var initialDelaySeconds: Int32?
    /// Seconds before a probe times out; defaults to 1.
    public var timeoutSeconds: Int32?
    /// Seconds between probes; defaults to 10.
    public var periodSeconds: Int32?
    /// Consecutive successes to become healthy; defaults to 1 (must be 1 for liveness and startup).
    public var successThreshold: Int32?
    /// Consecutive failures to become unhealthy; defaults to 3.
    public var failureThreshold: Int32?
    /// Grace period used when a liveness or startup failure kills the container.
    public var terminationGracePeriodSeconds: Int64?

    /// Creates a `Probe`; every optional field defaults to absent.
    public init(
        exec: ExecAction? = nil,
        httpGet: HTTPGetAction? = nil,
        tcpSocket: TCPSocketAction? = nil,
        grpc: GRPCAction? = nil,
        initialDelaySeconds: Int32? = nil,
        timeoutSeconds: Int32? = nil,
        periodSeconds: Int32? = nil,
        successThreshold: Int32? = nil,
        failureThreshold: Int32? = nil,
        terminationGracePeriodSeconds: Int64? = nil
    ) {
        self.exec = exec
        self.httpGet = httpGet
        self.tcpSocket = tcpSocket
        self.grpc = grpc
        self.initialDelaySeconds = initialDelaySeconds
        self.timeoutSeconds = timeoutSeconds
        self.periodSeconds = periodSeconds
        self.successThreshold = successThreshold
        self.failureThreshold = failureThreshold
        self.terminationGracePeriodSeconds = terminationGracePeriodSeconds
    }

    enum CodingKeys: String, CodingKey {
        case exec
        case httpGet
        case tcpSocket
        case grpc
        case initialDelaySeconds
        case timeoutSeconds
        case periodSeconds
        case successThreshold
        case failureThreshold
        case terminationGracePeriodSeconds
    }
}
