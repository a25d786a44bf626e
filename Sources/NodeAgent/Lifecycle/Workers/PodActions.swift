import KubeTypes

/// What one sync must do to move the runtime towards the pod spec: kubelet's `podActions`.
struct PodActions: Sendable, Equatable {
    /// Stop every container and the sandbox (the pod is done, or its sandbox must be replaced).
    var killPod = false
    /// Create a new sandbox with `sandboxAttempt`.
    var createSandbox = false
    var sandboxAttempt: UInt32 = 0
    /// The ready sandbox new containers go into (nil when one must be created first).
    var sandboxID: String?
    /// Index into `spec.initContainers` of the init container to start next.
    var initContainerToStart: Int?
    /// Indices into `spec.containers` to start, in order.
    var containersToStart: [Int] = []
    /// Container ids left in `created` (an agent crash between create and start): start them instead of creating.
    var containersToStartExisting: [String] = []
    /// Container ids to kill, with why.
    var containersToKill: [String: String] = [:]
    /// A regular init container failed under `restartPolicy: Never`: the pod has failed.
    var initFailedPermanently = false
    /// Running containers whose liveness or startup probe failed: killed with the probe's grace (the next sync
    /// restarts them per restartPolicy, through the usual backoff).
    var unhealthyContainers: [UnhealthyContainer] = []
}

/// A running container to kill because a probe failed (kubelet's `containerToKillInfo` with a probe reason).
struct UnhealthyContainer: Sendable, Equatable {
    var id: String
    var name: String
    var kind: ProbeKind
    /// Whether the restart policy restarts it; part of the `Killing` message.
    var willRestart: Bool

    /// kubelet's `Killing` message: "Container app failed liveness probe, will be restarted".
    var message: String {
        "Container \(name) failed \(kind.rawValue.lowercased()) probe" + (willRestart ? ", will be restarted" : "")
    }
}

/// kubelet's `computePodActions`: compares the pod spec with the runtime view and returns the smallest set of
/// actions. Backoff is not decided here (like kubelet, it is checked when a container is about to start).
enum PodActionPlanner {
    static func isRestartableInit(_ container: Container) -> Bool { container.restartPolicy == "Always" }

    /// kubelet's `ShouldContainerBeRestarted` for a regular (or init) container whose newest instance is `latest`.
    static func shouldRestart(_ latest: ContainerInstance?, policy: RestartPolicy) -> Bool {
        guard let latest else { return true }
        switch latest.state {
        case .running: return false
        case .created, .unknown: return true
        case .exited:
            if policy == .never { return false }
            if policy == .onFailure && latest.exitCode == 0 { return false }
            return true
        }
    }

    /// The actions when no probe has failed.
    static func compute(pod: Pod, view: PodRuntimeView) -> PodActions {
        computeActions(pod: pod, view: view, unhealthy: [:])
    }

    /// `unhealthy`: container ids whose liveness or startup probe has failed, with the probe that failed.
    static func computeActions(pod: Pod, view: PodRuntimeView, unhealthy: [String: ProbeKind]) -> PodActions {
        var actions = PodActions()
        let policy = pod.spec.restartPolicy ?? .always
        let initContainers = pod.spec.initContainers ?? []

        // Sandbox: none, not ready, or more than one ready means a new one (kubelet's podSandboxChanged).
        let readySandboxes = view.sandboxes.filter(\.ready)
        let sandboxNeeded: Bool
        if view.sandboxes.isEmpty {
            sandboxNeeded = true
            actions.sandboxAttempt = 0
        } else if readySandboxes.count > 1 || view.latestSandbox?.ready != true {
            sandboxNeeded = true
            actions.sandboxAttempt = (view.sandboxes.map(\.attempt).max() ?? 0) + 1
        } else {
            sandboxNeeded = false
        }

        if sandboxNeeded {
            actions.killPod = !view.sandboxes.isEmpty
            // A finished pod whose sandbox went away stays finished.
            if policy == .never && actions.sandboxAttempt != 0 && !view.containers.isEmpty {
                return actions
            }
            let toStart = pod.spec.containers.indices.filter { index in
                let container = pod.spec.containers[index]
                if policy == .onFailure, let latest = view.latest(container.name, isInit: false),
                    latest.state == .exited, latest.exitCode == 0
                {
                    return false
                }
                return true
            }
            if toStart.isEmpty && (initContainers.isEmpty || !view.containers.isEmpty) {
                return actions
            }
            actions.createSandbox = true
            if initContainers.isEmpty {
                actions.containersToStart = toStart
            } else {
                actions.initContainerToStart = 0
            }
            return actions
        }

        guard let sandbox = view.readySandbox else { return actions }
        actions.sandboxID = sandbox.id
        var keepCount = 0

        // Init containers, one at a time and in order, in the current sandbox.
        var initDone = true
        for (index, container) in initContainers.enumerated() {
            let latest = view.latest(container.name, isInit: true, inSandbox: sandbox.id)
            let restartable = isRestartableInit(container)
            guard let latest else {
                actions.initContainerToStart = index
                initDone = false
                break
            }
            switch latest.state {
            case .running:
                // A running sidecar lets the next init container start; it does not keep a finished pod alive.
                if restartable {
                    if let kind = unhealthy[latest.id] {
                        // Sidecars always restart.
                        actions.unhealthyContainers.append(
                            UnhealthyContainer(id: latest.id, name: container.name, kind: kind, willRestart: true))
                    }
                    continue
                }
                initDone = false
            case .created:
                actions.containersToStartExisting.append(latest.id)
                initDone = false
            case .unknown:
                actions.containersToKill[latest.id] = "unknown state"
                actions.initContainerToStart = index
                initDone = false
            case .exited:
                if restartable {
                    actions.initContainerToStart = index
                    initDone = false
                } else if latest.exitCode == 0 {
                    continue
                } else if policy == .never {
                    actions.initFailedPermanently = true
                    actions.killPod = true
                    initDone = false
                } else {
                    actions.initContainerToStart = index
                    initDone = false
                }
            }
            if !initDone { break }
        }
        if !initDone { return actions }

        for (index, container) in pod.spec.containers.enumerated() {
            let latest = view.latest(container.name, isInit: false, inSandbox: sandbox.id)
            if let latest, latest.state == .running {
                if let kind = unhealthy[latest.id] {
                    let restart = policy != .never
                    actions.unhealthyContainers.append(
                        UnhealthyContainer(id: latest.id, name: container.name, kind: kind, willRestart: restart))
                    // One that will be restarted keeps the pod (and its sandbox) alive, as kubelet's
                    // ContainersToStart does.
                    if restart { keepCount += 1 }
                    continue
                }
                keepCount += 1
                continue
            }
            if let latest, latest.state == .created {
                actions.containersToStartExisting.append(latest.id)
                keepCount += 1
                continue
            }
            if let latest, latest.state == .unknown {
                actions.containersToKill[latest.id] = "unknown state"
            }
            if shouldRestart(latest, policy: policy) {
                actions.containersToStart.append(index)
            }
        }
        if keepCount == 0 && actions.containersToStart.isEmpty {
            actions.killPod = true
        }
        return actions
    }
}
