import CRI
import KubeTypes

extension PodWorker {
    /// The default host of probes and HTTP hooks: the pod IP, or the loopback for a host-network pod.
    func probeHost(_ view: PodRuntimeView) -> String {
        if pod.spec.hostNetwork == true { return "127.0.0.1" }
        return view.readySandbox?.ips.first ?? pod.status.podIP ?? "127.0.0.1"
    }

    /// What probes and hooks of `container` run against.
    func hookTarget(containerID: String, container: Container, view: PodRuntimeView) -> ProbeTarget {
        ProbeTarget(runtime: runtime, http: environment.http, containerID: containerID, container: container,
                    host: probeHost(view))
    }

    /// Container ids whose liveness or startup probe has failed.
    func unhealthyContainers() -> [String: ProbeKind] {
        var unhealthy: [String: ProbeKind] = [:]
        for (id, results) in prober.allResults() {
            if results.startup == .failure {
                unhealthy[id] = .startup
            } else if results.liveness == .failure {
                unhealthy[id] = .liveness
            }
        }
        return unhealthy
    }

    /// kubelet's kill for a failed liveness or startup probe: `Killing` with the probe's message, the preStop
    /// hook, then the stop signal with the grace left of the probe's `terminationGracePeriodSeconds` (or the
    /// pod's). The next sync restarts the container per restartPolicy, through CrashLoopBackOff.
    func killUnhealthy(_ unhealthy: [UnhealthyContainer], view: PodRuntimeView) async {
        let specs = SandboxConfigBuilder.allContainers(pod.spec)
        await withTaskGroup(of: Void.self) { group in
            for entry in unhealthy {
                guard let instance = view.containers.first(where: { $0.id == entry.id }) else { continue }
                let spec = specs.first { $0.name == entry.name }
                let probe = spec.flatMap { entry.kind.probe(in: $0) }
                let grace = probe?.terminationGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30
                logger.info("killing an unhealthy container", metadata: ["container": "\(entry.name)", "probe": "\(entry.kind.label)"])
                let deadline = ContinuousClock.now + .seconds(max(0, grace))
                let host = probeHost(view)
                group.addTask {
                    await self.stopContainers([instance], deadline: deadline, runPreStop: true, host: host,
                                              messages: [entry.id: entry.message])
                }
            }
        }
    }
}
