import CRI
import KubeTypes
import Synchronization

/// The probes of one pod (kubelet's prober manager, per pod): a `ProbeWorker` per running container instance and
/// probe kind, and the results cache that the status generator and the pod worker read.
///
/// The pod worker calls `sync` with every runtime view it writes a status from; that starts workers for newly
/// running instances and stops those of instances that stopped. Startup gating is decided here: liveness and
/// readiness workers of a container with a startup probe start only once it passed. A changed result calls
/// `wake`, so the pod worker writes the status (and kills an unhealthy container) at once.
final class PodProber: Sendable {
    struct Key: Hashable, Sendable {
        var containerID: String
        var kind: ProbeKind
    }

    private struct State: Sendable {
        var workers: [Key: ProbeWorker] = [:]
        var results: [Key: ProbeResult] = [:]
        var stopped = false
    }

    private let runtime: any ContainerRuntime
    private let http: HTTPProbeClient
    private let events: EventRecorder
    private let observer: (any ProbeObserver)?
    private let state = Mutex(State())

    init(runtime: any ContainerRuntime, http: HTTPProbeClient, events: EventRecorder, observer: (any ProbeObserver)?) {
        self.runtime = runtime
        self.http = http
        self.events = events
        self.observer = observer
    }

    /// Starts and stops workers to match the running instances in `view`. `host` is the default probe host.
    /// `nowNanoseconds` is the wall clock the runtime's `startedAt` is compared with.
    func sync(pod: Pod, view: PodRuntimeView, host: String, nowNanoseconds: Int64, wake: @escaping @Sendable () -> Void) {
        var desired: [Key: ProbeWorker.Context] = [:]
        var running = Set<String>()
        let sidecars = (pod.spec.initContainers ?? []).filter(PodActionPlanner.isRestartableInit)
        let candidates = pod.spec.containers.map { ($0, false) } + sidecars.map { ($0, true) }
        let known = state.withLock { $0.results }
        for (container, isInit) in candidates {
            guard container.livenessProbe != nil || container.readinessProbe != nil || container.startupProbe != nil,
                let latest = view.latest(container.name, isInit: isInit), latest.state == .running
            else { continue }
            running.insert(latest.id)
            let startupPassed = known[Key(containerID: latest.id, kind: .startup)] == .success
            let runningFor = Duration.nanoseconds(max(0, nowNanoseconds - latest.startedAt))
            let target = ProbeTarget(runtime: runtime, http: http, containerID: latest.id, container: container, host: host)
            for kind in ProbeKind.allCases {
                guard let probe = kind.probe(in: container) else { continue }
                if kind == .startup && startupPassed { continue }
                if kind != .startup && container.startupProbe != nil && !startupPassed { continue }
                let key = Key(containerID: latest.id, kind: kind)
                desired[key] = ProbeWorker.Context(
                    kind: kind, probe: probe, target: target, pod: pod, events: events, observer: observer,
                    runningFor: runningFor, afterStartup: kind != .startup && container.startupProbe != nil,
                    onResult: { [weak self] result in self?.publish(key, result, wake: wake) })
            }
        }
        let toStop = state.withLock { state -> [ProbeWorker] in
            guard !state.stopped else { return [] }
            var stopping: [ProbeWorker] = []
            for (key, worker) in state.workers where desired[key] == nil {
                stopping.append(worker)
                state.workers[key] = nil
            }
            state.results = state.results.filter { running.contains($0.key.containerID) }
            for (key, context) in desired where state.workers[key] == nil {
                state.results[key] = key.kind.initialResult
                state.workers[key] = ProbeWorker(context)
            }
            return stopping
        }
        for worker in toStop { worker.stop() }
    }

    /// The published results of one container instance.
    func results(containerID: String) -> ContainerProbeResults {
        state.withLock { state in
            var results = ContainerProbeResults()
            for kind in ProbeKind.allCases {
                results[kind] = state.results[Key(containerID: containerID, kind: kind)]
            }
            return results
        }
    }

    /// Results of every running instance that has probes, by container id.
    func allResults() -> [String: ContainerProbeResults] {
        state.withLock { state in
            var all: [String: ContainerProbeResults] = [:]
            for (key, result) in state.results { all[key.containerID, default: ContainerProbeResults()][key.kind] = result }
            return all
        }
    }

    /// Stops every worker for good (the pod is terminating or the agent stops).
    func stopAll() {
        let workers = state.withLock { state -> [ProbeWorker] in
            state.stopped = true
            let workers = Array(state.workers.values)
            state.workers = [:]
            return workers
        }
        for worker in workers { worker.stop() }
    }

    private func publish(_ key: Key, _ result: ProbeResult, wake: @Sendable () -> Void) {
        let current = state.withLock { state -> Bool in
            guard state.workers[key] != nil else { return false }
            state.results[key] = result
            return true
        }
        if current { wake() }
    }
}
