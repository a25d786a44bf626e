import KubeTypes

/// What the status of a pod is generated from.
struct PodStatusInputs: Sendable {
    var pod: Pod
    var view: PodRuntimeView
    /// Reasons the last sync could not start containers.
    var reasons: [ContainerKey: ContainerWaitingReason] = [:]
    var hostIP: String
    var now: Time
    /// Set when the engine decided the pod failed for a pod-level reason (`DeadlineExceeded`).
    var failure: (reason: String, message: String)?
    /// The pod is being deleted: nothing is ready any more and nothing restarts.
    var terminating = false
    /// The prober's published results, by container id.
    var probes: [String: ContainerProbeResults] = [:]
}

/// Generates a pod's status the way kubelet's `generateAPIPodStatus` and the status manager do.
enum PodStatusGenerator {
    static let kubeletConditions: Set<PodConditionType> = [
        .podScheduled, .podReadyToStartContainers, .initialized, .containersReady, .ready,
    ]

    static func generate(_ inputs: PodStatusInputs) -> PodStatus {
        let pod = inputs.pod
        let old = pod.status
        var status = PodStatus()
        let initContainers = pod.spec.initContainers ?? []
        let hasInit = !initContainers.isEmpty
        let policy = pod.spec.restartPolicy ?? .always

        status.initContainerStatuses = hasInit
            ? initContainers.map {
                containerStatus($0, isInit: true, inputs: inputs, old: old.initContainerStatuses, hasInit: true, policy: policy)
            }
            : nil
        status.containerStatuses = pod.spec.containers.map {
            containerStatus($0, isInit: false, inputs: inputs, old: old.containerStatuses, hasInit: hasInit, policy: policy)
        }

        var phase = phase(pod.spec, initStatuses: status.initContainerStatuses ?? [], statuses: status.containerStatuses ?? [],
                          podIsTerminal: inputs.failure != nil || inputs.terminating)
        if let failure = inputs.failure {
            phase = .failed
            status.reason = failure.reason
            status.message = failure.message
        } else if old.phase == .failed || old.phase == .succeeded {
            // A terminal phase never changes back.
            phase = old.phase ?? phase
            status.reason = old.reason
            status.message = old.message
        }
        status.phase = phase

        // Conditions: the ones kubelet does not own are kept, then kubelet's in its order.
        var conditions = (old.conditions ?? []).filter { !kubeletConditions.contains($0.type) }
        let sandboxReady = inputs.view.readySandbox != nil
        conditions.append(PodCondition(type: .podReadyToStartContainers, status: sandboxReady ? .true : .false))
        conditions.append(initializedCondition(pod, statuses: status.initContainerStatuses ?? [],
                                               appStatuses: status.containerStatuses ?? [], phase: phase))
        let containersReady = containersReadyCondition(pod, statuses: status.containerStatuses ?? [],
                                                       initStatuses: status.initContainerStatuses ?? [], phase: phase)
        conditions.append(readyCondition(pod, containersReady: containersReady, oldConditions: old.conditions ?? []))
        conditions.append(containersReady)
        conditions.append(PodCondition(type: .podScheduled, status: .true))
        status.conditions = conditions.map { condition in
            var condition = condition
            if let previous = old.conditions?.first(where: { $0.type == condition.type }),
                previous.status == condition.status, previous.lastTransitionTime != nil
            {
                condition.lastTransitionTime = previous.lastTransitionTime
            } else if condition.lastTransitionTime == nil {
                condition.lastTransitionTime = inputs.now
            }
            return condition
        }

        status.hostIP = inputs.hostIP
        status.hostIPs = [HostIP(ip: inputs.hostIP)]
        var ips = inputs.view.readySandbox?.ips ?? []
        if pod.spec.hostNetwork == true, inputs.view.readySandbox != nil { ips = [inputs.hostIP] }
        if ips.isEmpty {
            status.podIP = old.podIP
            status.podIPs = old.podIPs
        } else {
            status.podIP = ips[0]
            status.podIPs = ips.map { PodIP(ip: $0) }
        }
        status.startTime = old.startTime ?? inputs.now
        status.qosClass = ContainerResources.qosClass(pod.spec)
        status.nominatedNodeName = old.nominatedNodeName
        status.observedGeneration = old.observedGeneration
        return status
    }

    // MARK: Containers

    static func containerID(_ id: String) -> String { "containerd://\(id)" }

    static func time(_ nanoseconds: Int64) -> Time? {
        nanoseconds > 0 ? Time(secondsSinceEpoch: nanoseconds / 1_000_000_000) : nil
    }

    static func state(of instance: ContainerInstance) -> ContainerState {
        switch instance.state {
        case .running:
            return ContainerState(running: ContainerStateRunning(startedAt: time(instance.startedAt)))
        case .exited:
            return ContainerState(terminated: ContainerStateTerminated(
                exitCode: instance.exitCode,
                reason: instance.reason.isEmpty ? nil : instance.reason,
                message: instance.message.isEmpty ? nil : instance.message,
                startedAt: time(instance.startedAt),
                finishedAt: time(instance.finishedAt),
                containerID: containerID(instance.id)))
        case .created, .unknown:
            return ContainerState(waiting: ContainerStateWaiting())
        }
    }

    static func containerStatus(
        _ container: Container, isInit: Bool, inputs: PodStatusInputs, old: [ContainerStatus]?, hasInit: Bool,
        policy: RestartPolicy
    ) -> ContainerStatus {
        let instances = inputs.view.instances(of: container.name, isInit: isInit)
        let oldStatus = old?.first { $0.name == container.name }
        var status = ContainerStatus(name: container.name, image: container.image ?? "")
        if let latest = instances.first {
            status.state = state(of: latest)
            status.containerID = containerID(latest.id)
            status.restartCount = Int32(clamping: latest.attempt)
            if !latest.image.isEmpty && !latest.image.hasPrefix("sha256:") { status.image = latest.image }
            status.imageID = latest.imageRef
            if instances.count > 1 {
                status.lastState = state(of: instances[1])
            } else if let oldLast = oldStatus?.lastState, oldLast.terminated != nil, latest.attempt > 0 {
                status.lastState = oldLast
            } else {
                status.lastState = ContainerState()
            }
            let running = latest.state == .running
            let restartableInit = isInit && PodActionPlanner.isRestartableInit(container)
            // kubelet's prober manager: `started` waits for a startup probe to pass; `ready` needs `started` and a
            // passed readiness probe (a container without one is ready while it runs). A terminating pod's
            // containers are not ready.
            let results = inputs.probes[latest.id] ?? ContainerProbeResults()
            let started = running && (container.startupProbe == nil || results.startup == .success)
            status.started = started
            let ready = started && !inputs.terminating
                && (container.readinessProbe == nil || results.readiness == .success)
            status.ready = isInit && !restartableInit ? false : ready
            if isInit && !restartableInit, latest.state == .exited, latest.exitCode == 0 {
                // A completed init container stays completed and never shows a waiting reason.
                return status
            }
        } else {
            status.state = ContainerState(waiting: ContainerStateWaiting(
                reason: hasInit ? "PodInitializing" : "ContainerCreating"))
            status.lastState = ContainerState()
            status.restartCount = oldStatus?.restartCount ?? 0
            status.started = false
        }
        let shouldRestart = !inputs.terminating && inputs.failure == nil
            && PodActionPlanner.shouldRestart(instances.first, policy: isInit && policy == .always ? .onFailure : policy)
        if shouldRestart, let reason = inputs.reasons[ContainerKey(name: container.name, isInit: isInit)] {
            if status.state?.terminated != nil { status.lastState = status.state }
            status.state = ContainerState(waiting: ContainerStateWaiting(reason: reason.reason, message: reason.message))
            status.ready = false
            status.started = false
        }
        return status
    }

    // MARK: Phase

    /// kubelet's `getPhase`.
    static func phase(
        _ spec: PodSpec, initStatuses: [ContainerStatus], statuses: [ContainerStatus], podIsTerminal: Bool
    ) -> PodPhase {
        var pendingRestartableInit = 0
        var pendingInit = 0
        var failedInitialization = 0
        for container in spec.initContainers ?? [] {
            guard let status = initStatuses.first(where: { $0.name == container.name }) else {
                pendingInit += 1
                continue
            }
            if PodActionPlanner.isRestartableInit(container) {
                if status.state?.running == nil { pendingRestartableInit += 1 }
                continue
            }
            if status.state?.running != nil {
                pendingInit += 1
            } else if let terminated = status.state?.terminated {
                if terminated.exitCode != 0 { failedInitialization += 1 }
            } else if status.state?.waiting != nil {
                if let last = status.lastState?.terminated {
                    if last.exitCode != 0 { failedInitialization += 1 }
                } else {
                    pendingInit += 1
                }
            } else {
                pendingInit += 1
            }
        }
        var unknown = 0, running = 0, waiting = 0, stopped = 0, succeeded = 0
        for container in spec.containers {
            guard let status = statuses.first(where: { $0.name == container.name }) else {
                unknown += 1
                continue
            }
            if status.state?.running != nil {
                running += 1
            } else if let terminated = status.state?.terminated {
                stopped += 1
                if terminated.exitCode == 0 { succeeded += 1 }
            } else if status.state?.waiting != nil {
                if status.lastState?.terminated != nil { stopped += 1 } else { waiting += 1 }
            } else {
                unknown += 1
            }
        }
        let policy = spec.restartPolicy ?? .always
        if failedInitialization > 0 && policy == .never { return .failed }
        if pendingInit > 0 || (pendingRestartableInit > 0 && running == 0 && stopped == 0) { return .pending }
        if waiting > 0 { return .pending }
        if running > 0 && unknown == 0 { return .running }
        if running == 0 && stopped > 0 && unknown == 0 {
            if podIsTerminal { return stopped == succeeded ? .succeeded : .failed }
            if policy == .always { return .running }
            if stopped == succeeded { return .succeeded }
            if policy == .never { return .failed }
            return .running
        }
        return .pending
    }

    // MARK: Conditions

    static func listText(_ names: [String]) -> String { "[" + names.joined(separator: " ") + "]" }

    static func initializedCondition(
        _ pod: Pod, statuses: [ContainerStatus], appStatuses: [ContainerStatus], phase: PodPhase
    ) -> PodCondition {
        var unknown: [String] = []
        var incomplete: [String] = []
        for container in pod.spec.initContainers ?? [] {
            guard let status = statuses.first(where: { $0.name == container.name }) else {
                unknown.append(container.name)
                continue
            }
            if PodActionPlanner.isRestartableInit(container) {
                if status.started != true { incomplete.append(container.name) }
            } else if status.state?.terminated == nil || status.state?.terminated?.exitCode != 0 {
                incomplete.append(container.name)
            }
        }
        if phase == .succeeded && unknown.isEmpty {
            return PodCondition(type: .initialized, status: .true, reason: "PodCompleted")
        }
        // Once a regular container has been created the pod was initialized (init containers may be gone since).
        let anyAppCreated = appStatuses.contains {
            $0.state?.running != nil || $0.state?.terminated != nil || $0.lastState?.terminated != nil
        }
        if anyAppCreated { return PodCondition(type: .initialized, status: .true) }
        var messages: [String] = []
        if !unknown.isEmpty { messages.append("containers with unknown status: \(listText(unknown))") }
        if !incomplete.isEmpty { messages.append("containers with incomplete status: \(listText(incomplete))") }
        if messages.isEmpty { return PodCondition(type: .initialized, status: .true) }
        return PodCondition(type: .initialized, status: .false, reason: "ContainersNotInitialized",
                            message: messages.joined(separator: ", "))
    }

    static func containersReadyCondition(
        _ pod: Pod, statuses: [ContainerStatus], initStatuses: [ContainerStatus], phase: PodPhase
    ) -> PodCondition {
        if phase == .succeeded {
            return PodCondition(type: .containersReady, status: .false, reason: "PodCompleted")
        }
        if phase == .failed {
            return PodCondition(type: .containersReady, status: .false, reason: "PodFailed")
        }
        var unknown: [String] = []
        var unready: [String] = []
        for container in (pod.spec.initContainers ?? []) where PodActionPlanner.isRestartableInit(container) {
            guard let status = initStatuses.first(where: { $0.name == container.name }) else {
                unknown.append(container.name)
                continue
            }
            if !status.ready { unready.append(container.name) }
        }
        for container in pod.spec.containers {
            guard let status = statuses.first(where: { $0.name == container.name }) else {
                unknown.append(container.name)
                continue
            }
            if !status.ready { unready.append(container.name) }
        }
        var messages: [String] = []
        if !unknown.isEmpty { messages.append("containers with unknown status: \(listText(unknown))") }
        if !unready.isEmpty { messages.append("containers with unready status: \(listText(unready))") }
        if messages.isEmpty { return PodCondition(type: .containersReady, status: .true) }
        return PodCondition(type: .containersReady, status: .false, reason: "ContainersNotReady",
                            message: messages.joined(separator: ", "))
    }

    static func readyCondition(
        _ pod: Pod, containersReady: PodCondition, oldConditions: [PodCondition]
    ) -> PodCondition {
        if containersReady.status != .true {
            return PodCondition(type: .ready, status: containersReady.status, reason: containersReady.reason,
                                message: containersReady.message)
        }
        var messages: [String] = []
        for gate in pod.spec.readinessGates ?? [] {
            guard let condition = oldConditions.first(where: { $0.type.rawValue == gate.conditionType }) else {
                messages.append("corresponding condition of pod readiness gate \"\(gate.conditionType)\" does not exist.")
                continue
            }
            if condition.status != .true {
                messages.append("the status of pod readiness gate \"\(gate.conditionType)\" is not \"True\", but \(condition.status.rawValue)")
            }
        }
        if !messages.isEmpty {
            return PodCondition(type: .ready, status: .false, reason: "ReadinessGatesNotReady",
                                message: messages.joined(separator: ", "))
        }
        return PodCondition(type: .ready, status: .true)
    }
}
