/// State of a container; at most one member is set.
public struct ContainerState: Codable, Sendable, Equatable {
    /// Not running yet (or again).
    public var waiting: ContainerStateWaiting?
    /// Running.
    public var running: ContainerStateRunning?
    /// Exited.
    public var terminated: ContainerStateTerminated?

    /// Creates a `ContainerState`; every optional field defaults to absent.
    public init(
        waiting: ContainerStateWaiting? = nil,
        running: ContainerStateRunning? = nil,
        terminated: ContainerStateTerminated? = nil
    ) {
        self.waiting = waiting
        self.running = running
        self.terminated = terminated
    }

    enum CodingKeys: String, CodingKey {
        case waiting
        case running
        case terminated
    }
}

/// A container that is not running, with why.
public struct ContainerStateWaiting: Codable, Sendable, Equatable {
    /// e.g. `ContainerCreating`, `CrashLoopBackOff`, `ErrImagePull`.
    public var reason: String?
    /// Details.
    public var message: String?

    /// Creates a `ContainerStateWaiting`; every optional field defaults to absent.
    public init(reason: String? = nil, message: String? = nil) {
        self.reason = reason
        self.message = message
    }

    enum CodingKeys: String, CodingKey {
        case reason
        case message
    }
}

/// A running container.
public struct ContainerStateRunning: Codable, Sendable, Equatable {
    /// When it started.
    public var startedAt: Time?

    /// Creates a `ContainerStateRunning`; every optional field defaults to absent.
    public init(startedAt: Time? = nil) {
        self.startedAt = startedAt
    }

    enum CodingKeys: String, CodingKey {
        case startedAt
    }
}

/// An exited container.
public struct ContainerStateTerminated: Codable, Sendable, Equatable {
    /// Exit status.
    public var exitCode: Int32
    /// Signal that ended it.
    public var signal: Int32?
    /// `Completed`, `Error`, `OOMKilled`, `StartError`, ...
    public var reason: String?
    /// Termination message.
    public var message: String?
    /// When it started.
    public var startedAt: Time?
    /// When it exited.
    public var finishedAt: Time?
    /// `containerd://<id>`.
    public var containerID: String?

    /// Creates a `ContainerStateTerminated`; every optional field defaults to absent.
    public init(
        exitCode: Int32 = 0,
        signal: Int32? = nil,
        reason: String? = nil,
        message: String? = nil,
        startedAt: Time? = nil,
        finishedAt: Time? = nil,
        containerID: String? = nil
    ) {
        self.exitCode = exitCode
        self.signal = signal
        self.reason = reason
        self.message = message
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.containerID = containerID
    }

    enum CodingKeys: String, CodingKey {
        case exitCode
        case signal
        case reason
        case message
        case startedAt
        case finishedAt
        case containerID
    }
}

extension ContainerStateTerminated {
    /// Decodes the Kubernetes JSON form; a required field that is absent takes its zero value, so that
    /// validation (not the decoder) reports it the way the API server does.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.exitCode = try c.decodeIfPresent(Int32.self, forKey: .exitCode) ?? 0
        self.signal = try c.decodeIfPresent(Int32.self, forKey: .signal)
        self.reason = try c.decodeIfPresent(String.self, forKey: .reason)
        self.message = try c.decodeIfPresent(String.self, forKey: .message)
        self.startedAt = try c.decodeIfPresent(Time.self, forKey: .startedAt)
        self.finishedAt = try c.decodeIfPresent(Time.self, forKey: .finishedAt)
        self.containerID = try c.decodeIfPresent(String.self, forKey: .containerID)
    }
}
