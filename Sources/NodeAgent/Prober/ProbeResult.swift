/// A probe's published result (kubelet's `results.Result`), after thresholds.
enum ProbeResult: Sendable, Hashable {
    case unknown
    case success
    case failure
}

/// What one run of a probe mechanism returned (kubelet's `probe.Result` with its output).
struct ProbeOutcome: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        /// Healthy.
        case success
        /// Healthy, with something to warn about (an HTTP redirect to another host was not followed).
        case warning
        /// Unhealthy.
        case failure
        /// The probe could not be run at all (a bad port name, a runtime error); counts as a failure.
        case error
    }

    var kind: Kind
    /// The probe's output: the command's output, the HTTP body, or why it failed.
    var output: String

    static func success(_ output: String = "") -> ProbeOutcome { ProbeOutcome(kind: .success, output: output) }
    static func warning(_ output: String) -> ProbeOutcome { ProbeOutcome(kind: .warning, output: output) }
    static func failure(_ output: String) -> ProbeOutcome { ProbeOutcome(kind: .failure, output: output) }
    static func error(_ output: String) -> ProbeOutcome { ProbeOutcome(kind: .error, output: output) }

    /// The result this run counts as towards the thresholds.
    var result: ProbeResult {
        switch kind {
        case .success, .warning: return .success
        case .failure, .error: return .failure
        }
    }

    /// kubelet's metric `result` label: `successful`, `failed` or `unknown` (a probe that errored).
    var metricLabel: String {
        switch kind {
        case .success, .warning: return "successful"
        case .failure: return "failed"
        case .error: return "unknown"
        }
    }
}
