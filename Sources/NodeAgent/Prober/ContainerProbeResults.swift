/// The published probe results of one container instance; nil for a probe the container does not have or that
/// is not running yet.
struct ContainerProbeResults: Sendable, Equatable {
    var liveness: ProbeResult?
    var readiness: ProbeResult?
    var startup: ProbeResult?

    subscript(kind: ProbeKind) -> ProbeResult? {
        get {
            switch kind {
            case .liveness: return liveness
            case .readiness: return readiness
            case .startup: return startup
            }
        }
        set {
            switch kind {
            case .liveness: liveness = newValue
            case .readiness: readiness = newValue
            case .startup: startup = newValue
            }
        }
    }
}
