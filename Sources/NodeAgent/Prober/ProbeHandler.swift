import KubeTypes

/// One probe mechanism (exec, httpGet, tcpSocket, grpc): runs once against a target within a timeout.
protocol ProbeHandler: Sendable {
    /// Runs the check once. Never throws: a check that cannot run is an `.error` outcome.
    func run(_ target: ProbeTarget, timeout: Duration) async -> ProbeOutcome
}

/// Picks the mechanism a probe spec names.
enum ProbeHandlers {
    static func make(_ probe: Probe) -> any ProbeHandler {
        if let exec = probe.exec { return ExecProbe(command: exec.command ?? []) }
        if let http = probe.httpGet { return HTTPGetProbe(action: http) }
        if let tcp = probe.tcpSocket { return TCPSocketProbe(action: tcp) }
        if let grpc = probe.grpc { return GRPCHealthProbe(action: grpc) }
        return MissingProbeHandler()
    }
}

/// A probe with no mechanism (validation rejects these; an adopted old spec could still carry one).
struct MissingProbeHandler: ProbeHandler {
    func run(_ target: ProbeTarget, timeout: Duration) async -> ProbeOutcome {
        .error("missing probe handler for \(target.container.name)")
    }
}
