import FoundationEssentials

/// What the runtime reports about itself (`Version`).
public struct RuntimeVersion: Sendable, Hashable {
    /// Version of the kubelet runtime API the runtime speaks, e.g. `0.1.0`.
    public var version: String
    /// Name of the runtime, e.g. `containerd`.
    public var runtimeName: String
    /// Version of the runtime, e.g. `1.6.20~ds1`.
    public var runtimeVersion: String
    /// API version of the runtime, e.g. `v1`.
    public var runtimeAPIVersion: String

    /// Creates a value.
    public init(version: String, runtimeName: String, runtimeVersion: String, runtimeAPIVersion: String) {
        self.version = version
        self.runtimeName = runtimeName
        self.runtimeVersion = runtimeVersion
        self.runtimeAPIVersion = runtimeAPIVersion
    }
}

/// One condition of the runtime's `Status`.
public struct RuntimeConditionReport: Sendable, Hashable {
    /// Condition type, e.g. `RuntimeReady` or `NetworkReady`.
    public var type: String
    /// Whether the condition holds.
    public var status: Bool
    /// Machine-readable reason when it does not.
    public var reason: String
    /// Human-readable detail.
    public var message: String

    /// Creates a value.
    public init(type: String, status: Bool, reason: String, message: String) {
        self.type = type
        self.status = status
        self.reason = reason
        self.message = message
    }
}

/// The runtime's `Status`: its conditions and, when asked for verbosely, extra info.
public struct RuntimeStatusReport: Sendable, Hashable {
    /// The name of the condition that says the runtime can run containers.
    public static let runtimeReadyCondition = "RuntimeReady"
    /// The name of the condition that says pod networking (CNI) is set up.
    public static let networkReadyCondition = "NetworkReady"

    /// All conditions the runtime reported.
    public var conditions: [RuntimeConditionReport]
    /// Verbose info (runtime config as JSON strings), empty unless requested.
    public var info: [String: String]

    /// Creates a value.
    public init(conditions: [RuntimeConditionReport], info: [String: String]) {
        self.conditions = conditions
        self.info = info
    }

    /// The condition named `type`, if the runtime reported it.
    public func condition(_ type: String) -> RuntimeConditionReport? {
        conditions.first { $0.type == type }
    }

    /// True when `RuntimeReady` is reported and true.
    public var runtimeReady: Bool { condition(Self.runtimeReadyCondition)?.status ?? false }
    /// True when `NetworkReady` is reported and true.
    public var networkReady: Bool { condition(Self.networkReadyCondition)?.status ?? false }
}

/// The outcome of `ExecSync`: the command ran (whatever its exit code) and these are its outputs.
public struct ExecSyncResult: Sendable, Hashable {
    /// The command's exit code.
    public var exitCode: Int32
    /// Everything the command wrote to stdout.
    public var stdout: Data
    /// Everything the command wrote to stderr.
    public var stderr: Data

    /// Creates a value.
    public init(exitCode: Int32, stdout: Data, stderr: Data) {
        self.exitCode = exitCode
        self.stdout = stdout
        self.stderr = stderr
    }

    /// stdout decoded as UTF-8 (invalid bytes replaced).
    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    /// stderr decoded as UTF-8 (invalid bytes replaced).
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
}
