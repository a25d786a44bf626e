import CRI
import FoundationEssentials
import Glibc
import KubeTypes
import Logging

extension PodWorker {
    var podDescription: String { "\(pod.metadata.name ?? "")_\(paths.namespace)(\(uid))" }

    func resolvConf() -> String? {
        try? String(contentsOfFile: configuration.resolvConfPath, encoding: .utf8)
    }

    func buildSandboxConfig(attempt: UInt32) -> Runtime_V1_PodSandboxConfig {
        SandboxConfigBuilder.build(pod, attempt: attempt, paths: paths, configuration: configuration, resolvConf: resolvConf())
    }

    /// Prepares volumes (idempotent; once per process unless it failed).
    func ensureVolumes(podIPs: [String]) -> Bool {
        if volumePaths != nil { return true }
        do {
            try VolumeManager.makeDirectory(paths.podDirectory, mode: 0o750)
            volumePaths = try VolumeManager.setUp(
                pod, paths: paths, root: configuration.rootDirectory, configuration: configuration, podIPs: podIPs)
            return true
        } catch {
            environment.events.record(pod, type: .warning, reason: "FailedMount", message: "\(error)")
            logger.warning("volume setup failed", metadata: ["error": "\(error)"])
            return false
        }
    }

    /// Creates the sandbox (after the volumes); nil when that failed (the reason is in the events).
    func createSandbox(attempt: UInt32, replacing: Bool) async throws -> (id: String, config: Runtime_V1_PodSandboxConfig, ips: [String])? {
        if replacing {
            environment.events.record(pod, type: .normal, reason: "SandboxChanged",
                                      message: "Pod sandbox changed, it will be killed and re-created.")
        }
        guard ensureVolumes(podIPs: []) else {
            scheduleWake(after: .seconds(2))
            return nil
        }
        let config = buildSandboxConfig(attempt: attempt)
        let id: String
        do {
            id = try await runtime.runPodSandbox(config, runtimeHandler: configuration.runtimeHandler)
        } catch {
            environment.events.record(pod, type: .warning, reason: "FailedCreatePodSandBox",
                                      message: "Failed to create pod sandbox: \(error)")
            scheduleWake(after: .seconds(2))
            return nil
        }
        var ips: [String] = []
        if let status = try? await runtime.podSandboxStatus(id: id, verbose: false) {
            ips = Self.ips(status)
            // The view fetched after the containers start reuses this instead of asking again.
            sandboxCache[id] = SandboxInstance(
                id: id, attempt: attempt, ready: status.status.state == .sandboxReady,
                createdAt: status.status.createdAt, ips: ips)
        }
        return (id, config, ips)
    }

    /// kubelet's `startContainer` step with its backoff check first. Returns true when it touched the runtime.
    func startContainer(
        _ container: Container, isInit: Bool, sandbox: (id: String, config: Runtime_V1_PodSandboxConfig, ips: [String]),
        view: PodRuntimeView, imageLookup: ImageManager.Lookup? = nil
    ) async -> Bool {
        let containerKey = ContainerKey(name: container.name, isInit: isInit)
        let latest = view.latest(container.name, isInit: isInit)
        let events = environment.events
        let now = ImageManager.nowNanoseconds()
        if let latest, latest.state == .exited {
            let key = backoffKey(container.name)
            let eventTime = latest.finishedAt > 0 ? latest.finishedAt : now
            if backoff.isInBackOffSince(key, eventTime: eventTime, now: now) {
                let delay = backoff.delay(key) ?? configuration.backoffBase
                reasons[containerKey] = ContainerWaitingReason(
                    reason: "CrashLoopBackOff",
                    message: "back-off \(delay.goString) restarting failed container=\(container.name) pod=\(podDescription)")
                events.record(pod, type: .warning, reason: "BackOff",
                              message: "Back-off restarting failed container \(container.name) in pod \(podDescription)")
                return false
            }
            backoff.next(key, eventTime: eventTime, now: now)
        }
        let attempt: UInt32
        if let latest {
            attempt = latest.attempt + 1
        } else {
            let old = (isInit ? pod.status.initContainerStatuses : pod.status.containerStatuses)?
                .first { $0.name == container.name }
            attempt = old.map { UInt32(clamping: $0.restartCount) + ($0.containerID == nil ? 0 : 1) } ?? 0
        }

        let image: ImageInfo
        switch await environment.images.ensureImage(
            pod: pod, container: container, sandboxConfig: sandbox.config, lookup: imageLookup) {
        case .success(let info): image = info
        case .failure(let reason):
            reasons[containerKey] = reason
            return false
        }
        guard ensureVolumes(podIPs: sandbox.ips), let volumePaths else {
            reasons[containerKey] = ContainerWaitingReason(reason: "CreateContainerConfigError", message: "volumes are not set up")
            return false
        }

        let config: Runtime_V1_ContainerConfig
        do {
            var mounts = try VolumeManager.mounts(container, pod: pod, hostPaths: volumePaths)
            if let messageMount = try terminationMessageMount(container, attempt: attempt) { mounts.append(messageMount) }
            if let hostsMount = try hostsFileMount(container, podIPs: sandbox.ips) { mounts.append(hostsMount) }
            let context = ContainerBuildContext(
                container: container, isInit: isInit, attempt: attempt, paths: paths, configuration: configuration,
                podIPs: sandbox.ips, imageUID: image.uid, imageUsername: image.username, mounts: mounts)
            config = try ContainerConfigBuilder.build(pod, context)
        } catch {
            let message = (error as? ContainerConfigError)?.message ?? "\(error)"
            reasons[containerKey] = ContainerWaitingReason(reason: "CreateContainerConfigError", message: message)
            events.record(pod, type: .warning, reason: "Failed", message: "Error: \(message)")
            return false
        }

        let id: String
        do {
            id = try await runtime.createContainer(sandboxID: sandbox.id, config: config, sandboxConfig: sandbox.config)
        } catch {
            let message = (error as? CRIError)?.message ?? "\(error)"
            reasons[containerKey] = ContainerWaitingReason(reason: "CreateContainerError", message: message)
            events.record(pod, type: .warning, reason: "Failed", message: "Error: \(message)")
            return true
        }
        events.record(pod, type: .normal, reason: "Created", message: "Created container: \(container.name)")
        do {
            try await runtime.startContainer(id: id)
        } catch {
            let message = (error as? CRIError)?.message ?? "\(error)"
            reasons[containerKey] = ContainerWaitingReason(reason: "RunContainerError", message: message)
            events.record(pod, type: .warning, reason: "Failed", message: "Error: \(message)")
            return true
        }
        events.record(pod, type: .normal, reason: "Started", message: "Started container \(container.name)")
        if let hook = container.lifecycle?.postStart {
            let target = ProbeTarget(runtime: runtime, http: environment.http, containerID: id, container: container,
                                     host: pod.spec.hostNetwork == true ? "127.0.0.1" : (sandbox.ips.first ?? "127.0.0.1"))
            if let failure = await PostStartHook.run(hook, target: target, podDescription: podDescription) {
                // kubelet: event, kill (preStop first, the pod's grace), and the restart policy decides the rest.
                events.record(pod, type: .warning, reason: "FailedPostStartHook", message: failure)
                let grace = pod.spec.terminationGracePeriodSeconds ?? 30
                let instance = ContainerInstance(
                    id: id, sandboxID: sandbox.id, name: container.name, attempt: attempt, isInit: isInit, state: .running)
                await stopContainers([instance], deadline: ContinuousClock.now + .seconds(max(0, grace)), runPreStop: true,
                                     host: target.host, messages: [id: "FailedPostStartHook"])
                reasons[containerKey] = ContainerWaitingReason(reason: "PostStartHookError", message: failure)
                return true
            }
        }
        reasons[containerKey] = nil
        return true
    }

    /// The pod's managed `/etc/hosts` (see `PodHostsFile`), unless the container mounts that path itself or the
    /// pod network has not given the pod an IP yet. Rewritten when the pod's IPs change, as after a new sandbox.
    func hostsFileMount(_ container: Container, podIPs: [String]) throws -> Runtime_V1_Mount? {
        if (container.volumeMounts ?? []).contains(where: { $0.mountPath == "/etc/hosts" }) { return nil }
        let hostNetwork = pod.spec.hostNetwork == true
        if !hostNetwork && podIPs.isEmpty { return nil }
        var mount = Runtime_V1_Mount()
        mount.containerPath = "/etc/hosts"
        mount.hostPath = try PodHostsFile.write(pod, paths: paths, podIPs: podIPs, hostname: SandboxConfigBuilder.hostname(pod))
        mount.propagation = .propagationPrivate
        return mount
    }

    /// kubelet bind-mounts a per-container file from the pod dir at `terminationMessagePath`; it is made
    /// world-writable so non-root containers can write it.
    func terminationMessageMount(_ container: Container, attempt: UInt32) throws -> Runtime_V1_Mount? {
        let target = container.terminationMessagePath ?? "/dev/termination-log"
        guard !target.isEmpty else { return nil }
        let directory = paths.containerDirectory(container.name)
        try VolumeManager.makeDirectory(directory, mode: 0o755)
        let file = "\(directory)/\(attempt)-termination-log"
        if !FileManager.default.fileExists(atPath: file) {
            guard FileManager.default.createFile(atPath: file, contents: Data()) else {
                throw ContainerConfigError(message: "cannot create the termination-message file \(file)")
            }
        }
        chmod(file, 0o666)
        var mount = Runtime_V1_Mount()
        mount.containerPath = target
        mount.hostPath = file
        return mount
    }

    // MARK: Killing

    /// Stops the running containers (app containers first, then sidecars) within `grace` seconds and the
    /// sandboxes. Returns true when anything was running.
    @discardableResult
    func killPodIfRunning(_ view: PodRuntimeView, grace: Int64, runPreStop: Bool = false) async throws -> Bool {
        let host = probeHost(view)
        let live = view.containers.filter { $0.state == .running || $0.state == .created }
        let readySandboxes = view.sandboxes.filter(\.ready)
        if live.isEmpty && readySandboxes.isEmpty { return false }
        let deadline = ContinuousClock.now + .seconds(max(0, grace))
        let apps = live.filter { !$0.isInit }
        let sidecars = live.filter(\.isInit)
        await stopContainers(apps, deadline: deadline, runPreStop: runPreStop, host: host)
        await stopContainers(sidecars, deadline: deadline, runPreStop: runPreStop, host: host)
        for sandbox in readySandboxes {
            try await runtime.stopPodSandbox(id: sandbox.id)
        }
        return true
    }

    /// Stops `containers` concurrently, each with the grace left until `deadline`, after its preStop hook (whose
    /// time thus comes out of the grace). `host` is the default host of httpGet hooks; `messages` replaces the
    /// `Killing` event's "Stopping container <name>" for some ids (a probe kill says why).
    func stopContainers(
        _ containers: [ContainerInstance], deadline: ContinuousClock.Instant, runPreStop: Bool, host: String,
        messages: [String: String] = [:]
    ) async {
        guard !containers.isEmpty else { return }
        let description = podDescription
        let runtime = self.runtime
        let http = environment.http
        let events = environment.events
        let pod = self.pod
        let specs = SandboxConfigBuilder.allContainers(pod.spec)
        let logger = self.logger
        await withTaskGroup(of: Void.self) { group in
            for instance in containers {
                let spec = specs.first { $0.name == instance.name }
                group.addTask {
                    events.record(pod, type: .normal, reason: "Killing",
                                  message: messages[instance.id] ?? "Stopping container \(instance.name)")
                    if runPreStop, instance.state == .running, let spec, let hook = spec.lifecycle?.preStop {
                        let target = ProbeTarget(
                            runtime: runtime, http: http, containerID: instance.id, container: spec, host: host)
                        await PreStopHook.run(hook, target: target, until: deadline, pod: pod,
                                              podDescription: description, events: events)
                    }
                    let remaining = deadline - ContinuousClock.now
                    let seconds = max(Int64(0), Int64((Double(remaining.nanoseconds) / 1e9).rounded(.up)))
                    do {
                        try await runtime.stopContainer(id: instance.id, timeout: seconds)
                    } catch {
                        logger.warning("stopping a container failed", metadata: ["id": "\(instance.id)", "error": "\(error)"])
                    }
                }
            }
        }
    }

    /// Fails the pod with `DeadlineExceeded` once it has been active longer than `activeDeadlineSeconds`.
    func enforceActiveDeadline(_ view: PodRuntimeView) async throws -> Bool {
        guard let seconds = pod.spec.activeDeadlineSeconds, let start = pod.status.startTime else { return false }
        guard Time.now().secondsSinceEpoch >= start.secondsSinceEpoch + seconds else { return false }
        let message = "Pod was active on the node longer than the specified deadline"
        failure = ("DeadlineExceeded", message)
        environment.events.record(pod, type: .warning, reason: "DeadlineExceeded", message: message)
        try await killPodIfRunning(view, grace: pod.spec.terminationGracePeriodSeconds ?? 30)
        try await writeStatus(try await fetchView())
        return true
    }

    // MARK: Garbage

    /// Removes exited instances older than the newest two of each container (the newest dead one stays for
    /// `previous` logs), and sandboxes replaced by a newer ready one.
    func collectGarbage(_ view: PodRuntimeView) async {
        var seen: [ContainerKey: Int] = [:]
        for instance in view.containers {
            let containerKey = ContainerKey(name: instance.name, isInit: instance.isInit)
            let count = seen[containerKey, default: 0]
            seen[containerKey] = count + 1
            if count >= 2 && instance.state == .exited {
                try? await runtime.removeContainer(id: instance.id)
            }
        }
        guard let current = view.readySandbox else { return }
        for sandbox in view.sandboxes where sandbox.id != current.id && !sandbox.ready {
            // Keep the newest dead instance of each container: it may live in the old sandbox.
            let keep = Set(view.containers.filter { $0.sandboxID == sandbox.id }.map(\.id))
                .intersection(Set(seen.keys.compactMap { view.latest($0.name, isInit: $0.isInit)?.id }))
            if keep.isEmpty { try? await runtime.removePodSandbox(id: sandbox.id) }
        }
    }

    // MARK: Deletion

    /// Graceful termination: Ready turns false, preStop hooks and SIGTERM within the grace period (app containers
    /// before sidecars), then the sandbox goes, then the pod's directories, then the stored pod (guarded by uid).
    func terminate(grace: Int64, deleteFromStore: Bool) async throws {
        var view = try await fetchView()
        if deleteFromStore {
            try await writeStatus(view, terminating: true)
        }
        try await killPodIfRunning(view, grace: grace, runPreStop: grace > 0)
        view = try await fetchView()
        for sandbox in view.sandboxes {
            try await runtime.stopPodSandbox(id: sandbox.id)
            try await runtime.removePodSandbox(id: sandbox.id)
        }
        for container in view.containers {
            try? await runtime.removeContainer(id: container.id)
        }
        VolumeManager.tearDown(paths: paths)
        await environment.images.forget(podUID: uid)
        if deleteFromStore {
            let store = environment.store
            if let stored = await store.get(key), stored.metadata.uid == uid {
                do {
                    _ = try await store.delete(key)
                } catch {
                    throw LifecycleError(message: "removing the pod from the store failed: \(error)")
                }
            }
        }
        logger.info("pod terminated")
        markFinished()
    }
}
