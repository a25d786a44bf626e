/// Hooks run around a container's start and stop.
public struct Lifecycle: Codable, Sendable, Equatable {
    /// Run right after the container is created.
    public var postStart: LifecycleHandler?
    /// Run before the container is stopped.
    public var preStop: LifecycleHandler?
    /// Signal sent to stop the container, e.g. `SIGUSR1`.
    public var stopSignal: String?

    /// Creates a `Lifecycle`; every optional field defaults to absent.
    public init(
        postStart: LifecycleHandler? = nil,
        preStop: LifecycleHandler? = nil,
        stopSignal: String? = nil
    ) {
        self.postStart = postStart
        self.preStop = preStop
        self.stopSignal = stopSignal
    }

    enum CodingKeys: String, CodingKey {
        case postStart
        case preStop
        case stopSignal
    }
}

/// One hook; exactly one member is set.
public struct LifecycleHandler: Codable, Sendable, Equatable {
    /// Run a command in the container.
    public var exec: ExecAction?
    /// Send an HTTP GET.
    public var httpGet: HTTPGetAction?
    /// Deprecated TCP hook; accepted for compatibility.
    public var tcpSocket: TCPSocketAction?
    /// Sleep for a while.
    public var sleep: SleepAction?

    /// Creates a `LifecycleHandler`; every optional field defaults to absent.
    public init(
        exec: ExecAction? = nil,
        httpGet: HTTPGetAction? = nil,
        tcpSocket: TCPSocketAction? = nil,
        sleep: SleepAction? = nil
    ) {
        self.exec = exec
        self.httpGet = httpGet
        self.tcpSocket = tcpSocket
        self.sleep = sleep
    }

    enum CodingKeys: String, CodingKey {
        case exec
        case httpGet
        case tcpSocket
        case sleep
    }
}
