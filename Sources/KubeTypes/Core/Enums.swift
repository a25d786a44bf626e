/// Restart policy of a pod.
///
/// Kept as an open string so that a value this version does not know decodes and is reported by validation
/// as `Unsupported value`, as the API server does, instead of failing the whole document.
public struct RestartPolicy: RawRepresentable, Codable, Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The wire value.
    public var rawValue: String
    /// Wraps a wire value.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// Wraps a wire value given as a literal.
    public init(stringLiteral value: String) { self.rawValue = value }
    /// The wire value.
    public var description: String { rawValue }

    /// Restart containers whatever their exit status.
    public static let always: RestartPolicy = "Always"
    /// Restart containers that exit non-zero.
    public static let onFailure: RestartPolicy = "OnFailure"
    /// Never restart containers.
    public static let never: RestartPolicy = "Never"

    /// Every value Kubernetes supports, in the order its error messages list them.
    public static let supported: [RestartPolicy] = [.always, .onFailure, .never]
}

extension RestartPolicy {
    /// Decodes the wire string.
    public init(from decoder: any Decoder) throws {
        self.rawValue = try decoder.singleValueContainer().decode(String.self)
    }
    /// Encodes the wire string.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
}

/// How a pod's DNS is configured.
///
/// Kept as an open string so that a value this version does not know decodes and is reported by validation
/// as `Unsupported value`, as the API server does, instead of failing the whole document.
public struct DNSPolicy: RawRepresentable, Codable, Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The wire value.
    public var rawValue: String
    /// Wraps a wire value.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// Wraps a wire value given as a literal.
    public init(stringLiteral value: String) { self.rawValue = value }
    /// The wire value.
    public var description: String { rawValue }

    /// Cluster DNS even with host networking.
    public static let clusterFirstWithHostNet: DNSPolicy = "ClusterFirstWithHostNet"
    /// Cluster DNS first, then the node's upstream.
    public static let clusterFirst: DNSPolicy = "ClusterFirst"
    /// The node's resolver configuration.
    public static let `default`: DNSPolicy = "Default"
    /// Only `dnsConfig`.
    public static let none: DNSPolicy = "None"

    /// Every value Kubernetes supports, in the order its error messages list them.
    public static let supported: [DNSPolicy] = [.clusterFirstWithHostNet, .clusterFirst, .`default`, .none]
}

extension DNSPolicy {
    /// Decodes the wire string.
    public init(from decoder: any Decoder) throws {
        self.rawValue = try decoder.singleValueContainer().decode(String.self)
    }
    /// Encodes the wire string.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
}

/// When an image is pulled.
///
/// Kept as an open string so that a value this version does not know decodes and is reported by validation
/// as `Unsupported value`, as the API server does, instead of failing the whole document.
public struct PullPolicy: RawRepresentable, Codable, Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The wire value.
    public var rawValue: String
    /// Wraps a wire value.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// Wraps a wire value given as a literal.
    public init(stringLiteral value: String) { self.rawValue = value }
    /// The wire value.
    public var description: String { rawValue }

    /// Pull on every start.
    public static let always: PullPolicy = "Always"
    /// Never pull; the image must be present.
    public static let never: PullPolicy = "Never"
    /// Pull when the image is missing.
    public static let ifNotPresent: PullPolicy = "IfNotPresent"

    /// Every value Kubernetes supports, in the order its error messages list them.
    public static let supported: [PullPolicy] = [.always, .ifNotPresent, .never]
}

extension PullPolicy {
    /// Decodes the wire string.
    public init(from decoder: any Decoder) throws {
        self.rawValue = try decoder.singleValueContainer().decode(String.self)
    }
    /// Encodes the wire string.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
}

/// Where the termination message comes from.
///
/// Kept as an open string so that a value this version does not know decodes and is reported by validation
/// as `Unsupported value`, as the API server does, instead of failing the whole document.
public struct TerminationMessagePolicy: RawRepresentable, Codable, Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The wire value.
    public var rawValue: String
    /// Wraps a wire value.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// Wraps a wire value given as a literal.
    public init(stringLiteral value: String) { self.rawValue = value }
    /// The wire value.
    public var description: String { rawValue }

    /// The termination message file only.
    public static let file: TerminationMessagePolicy = "File"
    /// The log tail when the file is empty and the container failed.
    public static let fallbackToLogsOnError: TerminationMessagePolicy = "FallbackToLogsOnError"

    /// Every value Kubernetes supports, in the order its error messages list them.
    public static let supported: [TerminationMessagePolicy] = [.file, .fallbackToLogsOnError]
}

extension TerminationMessagePolicy {
    /// Decodes the wire string.
    public init(from decoder: any Decoder) throws {
        self.rawValue = try decoder.singleValueContainer().decode(String.self)
    }
    /// Encodes the wire string.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
}

/// Network protocol of a port.
///
/// Kept as an open string so that a value this version does not know decodes and is reported by validation
/// as `Unsupported value`, as the API server does, instead of failing the whole document.
public struct PortProtocol: RawRepresentable, Codable, Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The wire value.
    public var rawValue: String
    /// Wraps a wire value.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// Wraps a wire value given as a literal.
    public init(stringLiteral value: String) { self.rawValue = value }
    /// The wire value.
    public var description: String { rawValue }

    /// TCP.
    public static let tcp: PortProtocol = "TCP"
    /// UDP.
    public static let udp: PortProtocol = "UDP"
    /// SCTP.
    public static let sctp: PortProtocol = "SCTP"

    /// Every value Kubernetes supports, in the order its error messages list them.
    public static let supported: [PortProtocol] = [.sctp, .tcp, .udp]
}

extension PortProtocol {
    /// Decodes the wire string.
    public init(from decoder: any Decoder) throws {
        self.rawValue = try decoder.singleValueContainer().decode(String.self)
    }
    /// Encodes the wire string.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
}

/// Scheme of an HTTP probe or hook.
///
/// Kept as an open string so that a value this version does not know decodes and is reported by validation
/// as `Unsupported value`, as the API server does, instead of failing the whole document.
public struct URIScheme: RawRepresentable, Codable, Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The wire value.
    public var rawValue: String
    /// Wraps a wire value.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// Wraps a wire value given as a literal.
    public init(stringLiteral value: String) { self.rawValue = value }
    /// The wire value.
    public var description: String { rawValue }

    /// Plain HTTP.
    public static let http: URIScheme = "HTTP"
    /// HTTPS without certificate verification.
    public static let https: URIScheme = "HTTPS"

    /// Every value Kubernetes supports, in the order its error messages list them.
    public static let supported: [URIScheme] = [.http, .https]
}

extension URIScheme {
    /// Decodes the wire string.
    public init(from decoder: any Decoder) throws {
        self.rawValue = try decoder.singleValueContainer().decode(String.self)
    }
    /// Encodes the wire string.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
}

/// Phase of a pod.
///
/// Kept as an open string so that a value this version does not know decodes and is reported by validation
/// as `Unsupported value`, as the API server does, instead of failing the whole document.
public struct PodPhase: RawRepresentable, Codable, Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The wire value.
    public var rawValue: String
    /// Wraps a wire value.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// Wraps a wire value given as a literal.
    public init(stringLiteral value: String) { self.rawValue = value }
    /// The wire value.
    public var description: String { rawValue }

    /// Accepted, not all containers started.
    public static let pending: PodPhase = "Pending"
    /// Bound, all containers created, at least one running.
    public static let running: PodPhase = "Running"
    /// All containers exited 0 and will not restart.
    public static let succeeded: PodPhase = "Succeeded"
    /// All containers exited, at least one in failure.
    public static let failed: PodPhase = "Failed"
    /// State cannot be obtained.
    public static let unknown: PodPhase = "Unknown"

    /// Every value Kubernetes supports, in the order its error messages list them.
    public static let supported: [PodPhase] = [.pending, .running, .succeeded, .failed, .unknown]
}

extension PodPhase {
    /// Decodes the wire string.
    public init(from decoder: any Decoder) throws {
        self.rawValue = try decoder.singleValueContainer().decode(String.self)
    }
    /// Encodes the wire string.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
}

/// Quality-of-service class of a pod.
///
/// Kept as an open string so that a value this version does not know decodes and is reported by validation
/// as `Unsupported value`, as the API server does, instead of failing the whole document.
public struct PodQOSClass: RawRepresentable, Codable, Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The wire value.
    public var rawValue: String
    /// Wraps a wire value.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// Wraps a wire value given as a literal.
    public init(stringLiteral value: String) { self.rawValue = value }
    /// The wire value.
    public var description: String { rawValue }

    /// Every container has equal requests and limits for cpu and memory.
    public static let guaranteed: PodQOSClass = "Guaranteed"
    /// Some requests or limits, not Guaranteed.
    public static let burstable: PodQOSClass = "Burstable"
    /// No requests or limits at all.
    public static let bestEffort: PodQOSClass = "BestEffort"

    /// Every value Kubernetes supports, in the order its error messages list them.
    public static let supported: [PodQOSClass] = [.guaranteed, .burstable, .bestEffort]
}

extension PodQOSClass {
    /// Decodes the wire string.
    public init(from decoder: any Decoder) throws {
        self.rawValue = try decoder.singleValueContainer().decode(String.self)
    }
    /// Encodes the wire string.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
}

/// Status of a condition.
///
/// Kept as an open string so that a value this version does not know decodes and is reported by validation
/// as `Unsupported value`, as the API server does, instead of failing the whole document.
public struct ConditionStatus: RawRepresentable, Codable, Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The wire value.
    public var rawValue: String
    /// Wraps a wire value.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// Wraps a wire value given as a literal.
    public init(stringLiteral value: String) { self.rawValue = value }
    /// The wire value.
    public var description: String { rawValue }

    /// The condition holds.
    public static let `true`: ConditionStatus = "True"
    /// The condition does not hold.
    public static let `false`: ConditionStatus = "False"
    /// Not known.
    public static let unknown: ConditionStatus = "Unknown"

    /// Every value Kubernetes supports, in the order its error messages list them.
    public static let supported: [ConditionStatus] = [.`true`, .`false`, .unknown]
}

extension ConditionStatus {
    /// Decodes the wire string.
    public init(from decoder: any Decoder) throws {
        self.rawValue = try decoder.singleValueContainer().decode(String.self)
    }
    /// Encodes the wire string.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
}

/// Type of a pod condition.
///
/// Kept as an open string so that a value this version does not know decodes and is reported by validation
/// as `Unsupported value`, as the API server does, instead of failing the whole document.
public struct PodConditionType: RawRepresentable, Codable, Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The wire value.
    public var rawValue: String
    /// Wraps a wire value.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// Wraps a wire value given as a literal.
    public init(stringLiteral value: String) { self.rawValue = value }
    /// The wire value.
    public var description: String { rawValue }

    /// The pod is bound to a node.
    public static let podScheduled: PodConditionType = "PodScheduled"
    /// The sandbox is created and networked.
    public static let podReadyToStartContainers: PodConditionType = "PodReadyToStartContainers"
    /// All init containers completed (or sidecars started).
    public static let initialized: PodConditionType = "Initialized"
    /// All containers are ready.
    public static let containersReady: PodConditionType = "ContainersReady"
    /// The pod can serve.
    public static let ready: PodConditionType = "Ready"
    /// The pod is about to be terminated by a disruption.
    public static let disruptionTarget: PodConditionType = "DisruptionTarget"

    /// Every value Kubernetes supports, in the order its error messages list them.
    public static let supported: [PodConditionType] = [.podScheduled, .podReadyToStartContainers, .initialized, .containersReady, .ready, .disruptionTarget]
}

extension PodConditionType {
    /// Decodes the wire string.
    public init(from decoder: any Decoder) throws {
        self.rawValue = try decoder.singleValueContainer().decode(String.self)
    }
    /// Encodes the wire string.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
}
