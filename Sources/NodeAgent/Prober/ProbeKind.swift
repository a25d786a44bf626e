import KubeTypes

/// The three probes a container can carry, as kubelet's prober names them.
enum ProbeKind: String, Sendable, Hashable, CaseIterable {
    case liveness = "Liveness"
    case readiness = "Readiness"
    case startup = "Startup"

    /// kubelet's `probe_type` metric label and event prefix ("Liveness probe failed: ...").
    var label: String { rawValue }

    /// The probe of this kind in `container`, if any.
    func probe(in container: Container) -> Probe? {
        switch self {
        case .liveness: return container.livenessProbe
        case .readiness: return container.readinessProbe
        case .startup: return container.startupProbe
        }
    }

    /// What the cache holds before the first result: a readiness probe makes the container not ready until it
    /// passes, a liveness probe never kills an unprobed container, a startup probe is simply not decided yet.
    var initialResult: ProbeResult {
        switch self {
        case .liveness: return .success
        case .readiness: return .failure
        case .startup: return .unknown
        }
    }
}
