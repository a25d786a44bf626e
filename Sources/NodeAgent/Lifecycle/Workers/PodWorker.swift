import CRI
import FoundationEssentials
import KubeTypes
import Logging

/// One pod's worker (kubelet's pod worker): syncs of one pod run one after another, wake-ups that arrive during a
/// sync are coalesced into one more sync, and different pods' workers run concurrently.
///
/// A sync reads the pod from the store, looks at the runtime (the relist's listing when it is newer than the
/// previous sync, else two filtered list calls; container status calls only for instances that are new or changed
/// state), computes the smallest set of actions, carries them out and
/// persists the status when it changed.
actor PodWorker {
    let uid: String
    let key: ObjectKey
    let paths: PodPaths
    let environment: WorkerEnvironment
    var runtime: any ContainerRuntime { environment.runtime }
    var configuration: PodManagerConfiguration { environment.configuration }
    var logger: Logger

    /// The pod as last read from the store.
    var pod: Pod
    /// CrashLoopBackOff per container.
    var backoff: Backoff
    /// Why containers could not start (kubelet's reason cache).
    var reasons: [ContainerKey: ContainerWaitingReason] = [:]
    /// Container instances whose state has not changed since their status was fetched.
    var instanceCache: [String: ContainerInstance] = [:]
    /// Sandbox statuses by id and readiness.
    var sandboxCache: [String: SandboxInstance] = [:]
    /// Host paths of the prepared volumes (nil until set up in this process).
    var volumePaths: [String: String]?
    /// A pod-level failure this engine decided (`DeadlineExceeded`, `Evicted`).
    var failure: (reason: String, message: String)?
    /// When the pod's emptyDir usage was last measured against its sizeLimits.
    var lastStorageCheck: ContinuousClock.Instant?
    /// For `kubelet_pod_worker_duration_seconds`: whether a sync has run, and whether the store sent a newer pod.
    private var hasSynced = false
    private var updatePending = false
    /// Backoff entries were restored from attempt numbers after a restart of the agent.
    var backoffRestored = false
    /// The status last written to the store.
    var lastWritten: PodStatus?
    /// The pod's probe workers and their results.
    let prober: PodProber

    /// When the previous sync ended: a relist listing begun after it holds everything this worker did.
    private var lastSyncEnded: ContinuousClock.Instant?
    private var wakePending = false
    private var waiter: CheckedContinuation<Void, Never>?
    private var shutDown = false
    private var finished = false
    private var loop: Task<Void, Never>?
    private var timer: Task<Void, Never>?
    private var timerDeadline: ContinuousClock.Instant?

    init(pod: Pod, environment: WorkerEnvironment) {
        let uid = pod.metadata.uid ?? ""
        self.uid = uid
        self.key = pod.objectKey
        self.pod = pod
        self.environment = environment
        self.paths = PodPaths(
            root: environment.configuration.rootDirectory, namespace: pod.objectKey.namespace,
            name: pod.metadata.name ?? "", uid: uid)
        self.backoff = Backoff(base: environment.configuration.backoffBase, max: environment.configuration.backoffMax)
        self.prober = PodProber(
            runtime: environment.runtime, http: environment.http, events: environment.events,
            observer: environment.configuration.probeObserver)
        var logger = environment.logger
        logger[metadataKey: "pod"] = "\(pod.objectKey.namespace)/\(pod.metadata.name ?? "")"
        self.logger = logger
    }

    // MARK: Loop

    /// Starts the sync loop (once).
    func start() {
        guard loop == nil else { return }
        wakePending = true
        loop = Task { await self.run() }
    }

    /// Asks for a sync; several requests before the sync starts make one sync.
    func wake() {
        if let waiter {
            self.waiter = nil
            waiter.resume()
        } else {
            wakePending = true
        }
    }

    /// Hands the worker a newer copy of the pod (a deletion request carries deletionTimestamp) and wakes it.
    func update(_ newer: Pod) {
        if newer.metadata.deletionTimestamp != nil || pod.metadata.deletionTimestamp == nil {
            pod.metadata = newer.metadata
            pod.spec = newer.spec
        }
        updatePending = true
        wake()
    }

    /// Stops the loop after the current sync; leaves containers running (the agent is stopping, not the pod).
    func shutdown() async {
        shutDown = true
        prober.stopAll()
        timer?.cancel()
        wake()
        await loop?.value
    }

    private func run() async {
        while !shutDown && !finished {
            if !wakePending {
                await withCheckedContinuation { continuation in waiter = continuation }
            }
            wakePending = false
            if shutDown { break }
            let started = ContinuousClock.now
            await syncOnce()
            lastSyncEnded = ContinuousClock.now
            if let observer = configuration.syncObserver {
                let operation: PodSyncOperation =
                    pod.metadata.deletionTimestamp != nil || finished ? .kill
                    : !hasSynced ? .create : updatePending ? .update : .sync
                observer.podSyncFinished(operation, duration: ContinuousClock.now - started)
            }
            hasSynced = true
            updatePending = false
        }
        timer?.cancel()
    }

    /// Wakes the worker after `delay` unless an earlier wake-up is already scheduled.
    func scheduleWake(after delay: Duration) {
        let deadline = ContinuousClock.now + max(delay, .milliseconds(1))
        if let timerDeadline, timerDeadline <= deadline, timer != nil { return }
        timer?.cancel()
        timerDeadline = deadline
        timer = Task { [weak self] in
            try? await Task.sleep(until: deadline, clock: .continuous)
            guard !Task.isCancelled, let self else { return }
            await self.timerFired()
        }
    }

    private func timerFired() {
        timer = nil
        timerDeadline = nil
        wake()
    }

    func markFinished() {
        finished = true
        prober.stopAll()
        configuration.probeObserver?.podRemoved(
            namespace: paths.namespace, pod: pod.metadata.name ?? "", podUID: uid)
        environment.onFinished(uid)
    }

    // MARK: Sync

    private func syncOnce() async {
        do {
            guard let stored = await environment.store.get(key), stored.metadata.uid == uid else {
                // The pod left the store without this worker (another deletion path): nothing may keep running.
                logger.info("pod is gone from the store; removing its runtime objects")
                try await terminate(grace: 0, deleteFromStore: false)
                return
            }
            pod = stored
            if pod.metadata.deletionTimestamp != nil {
                let grace = pod.metadata.deletionGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30
                try await terminate(grace: grace, deleteFromStore: true)
                return
            }
            try await sync()
        } catch {
            logger.warning("pod sync failed; retrying", metadata: ["error": "\(error)"])
            scheduleWake(after: max(configuration.relistPeriod, .milliseconds(500)))
        }
    }

    private func sync() async throws {
        var view = try await fetchView(reusingListingAfter: lastSyncEnded)
        restoreBackoffIfNeeded(view)
        let terminalPhase = pod.status.phase == .succeeded || pod.status.phase == .failed
        if terminalPhase || failure != nil {
            // A finished pod never runs again; make sure nothing of it still runs.
            if try await killPodIfRunning(view, grace: pod.spec.terminationGracePeriodSeconds ?? 30) {
                view = try await fetchView()
            }
            try await writeStatus(view)
            return
        }
        if try await enforceActiveDeadline(view) { return }
        if try await enforceEmptyDirLimits(view) { return }

        let actions = PodActionPlanner.computeActions(pod: pod, view: view, unhealthy: unhealthyContainers())
        var changed = false
        if !actions.unhealthyContainers.isEmpty {
            await killUnhealthy(actions.unhealthyContainers, view: view)
            changed = true
        }
        if actions.killPod {
            changed = try await killPodIfRunning(view, grace: pod.spec.terminationGracePeriodSeconds ?? 30) || changed
        }
        var sandbox: (id: String, config: Runtime_V1_PodSandboxConfig, ips: [String])?
        var imageLookups: [String: ImageManager.Lookup] = [:]
        if actions.createSandbox {
            let lookups = lookUpImages(imagesToStart(actions))
            sandbox = try await createSandbox(attempt: actions.sandboxAttempt, replacing: !view.sandboxes.isEmpty)
            imageLookups = await lookups.value
            changed = true
        } else if let id = actions.sandboxID, let current = view.readySandbox, current.id == id {
            sandbox = (id, buildSandboxConfig(attempt: current.attempt), current.ips)
        }
        for (id, reason) in actions.containersToKill {
            logger.info("killing container", metadata: ["id": "\(id)", "reason": "\(reason)"])
            try? await runtime.stopContainer(id: id, timeout: 0)
            try? await runtime.removeContainer(id: id)
            changed = true
        }
        if let sandbox {
            for id in actions.containersToStartExisting {
                do {
                    try await runtime.startContainer(id: id)
                } catch {
                    logger.warning("starting a created container failed", metadata: ["id": "\(id)", "error": "\(error)"])
                }
                changed = true
            }
            if let index = actions.initContainerToStart, let container = pod.spec.initContainers?[index] {
                let lookup = imageLookups.removeValue(forKey: container.image ?? "")
                changed = await startContainer(container, isInit: true, sandbox: sandbox, view: view, imageLookup: lookup)
                    || changed
            } else {
                for index in actions.containersToStart {
                    let container = pod.spec.containers[index]
                    // A lookup is used once: a second container with the same image asks afresh, after the first
                    // one's pull (if any) has run.
                    let lookup = imageLookups.removeValue(forKey: container.image ?? "")
                    changed = await startContainer(container, isInit: false, sandbox: sandbox, view: view, imageLookup: lookup)
                        || changed
                }
            }
        }
        if changed { view = try await fetchView() }
        await collectGarbage(view)
        try await writeStatus(view)
        scheduleNextWake(view)
    }

    /// The images of the containers `actions` starts, without repeats.
    private func imagesToStart(_ actions: PodActions) -> [String] {
        let containers: [Container]
        if let index = actions.initContainerToStart, let initContainers = pod.spec.initContainers {
            containers = [initContainers[index]]
        } else {
            containers = actions.containersToStart.map { pod.spec.containers[$0] }
        }
        var seen = Set<String>()
        return containers.compactMap(\.image).filter { !$0.isEmpty && seen.insert($0).inserted }
    }

    /// Looks `images` up while the sandbox is being created: kubelet asks for each image's status after the sandbox
    /// is up, which puts one more runtime round trip on the pod-start path. (One after another inside the task: a
    /// task group whose child result is a tuple holding a `Result` crashed the 6.3 release build in the runtime.)
    private func lookUpImages(_ images: [String]) -> Task<[String: ImageManager.Lookup], Never> {
        let runtime = self.runtime
        return Task {
            var lookups: [String: ImageManager.Lookup] = [:]
            for image in images {
                do { lookups[image] = .success(try await runtime.imageStatus(image)) } catch { lookups[image] = .failure(error) }
            }
            return lookups
        }
    }

    // MARK: Runtime view

    var podFilterLabels: [String: String] {
        var labels = configuration.ownerLabels
        labels[RuntimeLabels.podUID] = uid
        return labels
    }

    /// The runtime's view of this pod. The pod's objects come from the relist's listing when it began after
    /// `instant` (see `RuntimeListingCache`), otherwise from two concurrent filtered lists; status calls go only to
    /// instances that are new or changed state, and those run concurrently too: each round trip is on the
    /// pod-start path. Pass no instant right after acting on the runtime.
    func fetchView(reusingListingAfter instant: ContinuousClock.Instant? = nil) async throws -> PodRuntimeView {
        let runtime = self.runtime
        let listedSandboxes: [Runtime_V1_PodSandbox]
        let listedContainers: [Runtime_V1_Container]
        if let instant, let cached = environment.listings.objects(of: uid, listedAfter: instant) {
            (listedSandboxes, listedContainers) = (cached.sandboxes, cached.containers)
        } else {
            var sandboxFilter = Runtime_V1_PodSandboxFilter()
            sandboxFilter.labelSelector = podFilterLabels
            var containerFilter = Runtime_V1_ContainerFilter()
            containerFilter.labelSelector = podFilterLabels
            async let sandboxListing = runtime.listPodSandboxes(filter: sandboxFilter)
            async let containerListing = runtime.listContainers(filter: containerFilter)
            (listedSandboxes, listedContainers) = try await (sandboxListing, containerListing)
        }

        var sandboxes: [SandboxInstance] = []
        var sandboxesToFetch: [SandboxInstance] = []
        for listed in listedSandboxes {
            let ready = listed.state == .sandboxReady
            if let cached = sandboxCache[listed.id], cached.ready == ready {
                sandboxes.append(cached)
                continue
            }
            let instance = SandboxInstance(
                id: listed.id, attempt: listed.metadata.attempt, ready: ready, createdAt: listed.createdAt, ips: [])
            // Only a ready sandbox has IPs worth a status call.
            if ready { sandboxesToFetch.append(instance) } else { sandboxes.append(instance) }
        }
        sandboxes += try await withThrowingTaskGroup(of: SandboxInstance.self) { group in
            for instance in sandboxesToFetch {
                group.addTask {
                    var instance = instance
                    instance.ips = Self.ips(try await runtime.podSandboxStatus(id: instance.id, verbose: false))
                    return instance
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        sandboxCache = Dictionary(sandboxes.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })

        var containers: [ContainerInstance] = []
        var containersToFetch: [Runtime_V1_Container] = []
        for listed in listedContainers {
            if let cached = instanceCache[listed.id], cached.state == ContainerInstance.state(listed.state) {
                containers.append(cached)
            } else {
                containersToFetch.append(listed)
            }
        }
        containers += try await withThrowingTaskGroup(of: ContainerInstance?.self) { group in
            for listed in containersToFetch {
                group.addTask {
                    let response: Runtime_V1_ContainerStatusResponse
                    do {
                        response = try await runtime.containerStatus(id: listed.id, verbose: false)
                    } catch let error as CRIError where error.isNotFound {
                        return nil  // removed between the list and the status call
                    }
                    var instance = ContainerInstance(
                        status: response.status, sandboxID: listed.podSandboxID, labels: listed.labels)
                    if instance.state == .exited {
                        let message = TerminationMessage.read(instance)
                        if !message.isEmpty { instance.message = message }
                    }
                    return instance
                }
            }
            return try await group.reduce(into: []) { result, instance in
                if let instance { result.append(instance) }
            }
        }
        instanceCache = Dictionary(containers.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        return PodRuntimeView(sandboxes: sandboxes, containers: containers)
    }

    /// The pod IPs in a sandbox status, primary first.
    static func ips(_ status: Runtime_V1_PodSandboxStatusResponse) -> [String] {
        let network = status.status.network
        return ([network.ip] + network.additionalIps.map(\.ip)).filter { !$0.isEmpty }
    }

    // MARK: Status

    func writeStatus(_ view: PodRuntimeView, terminating: Bool = false) async throws {
        if terminating {
            prober.stopAll()
        } else {
            prober.sync(pod: pod, view: view, host: probeHost(view), nowNanoseconds: ImageManager.nowNanoseconds(),
                        wake: { [weak self] in Task { await self?.wake() } })
        }
        var inputs = PodStatusInputs(
            pod: pod, view: view, reasons: reasons, hostIP: configuration.hostIP, now: Time.now())
        inputs.failure = failure
        inputs.terminating = terminating
        inputs.probes = prober.allResults()
        let status = PodStatusGenerator.generate(inputs)
        if status == pod.status { return }
        let uid = self.uid
        do {
            // Deferred: the status is rebuilt from the runtime after a crash, so its fsync stays off the path to
            // the watch event that tells a client the pod runs.
            let updated = try await environment.store.update(key, durability: .deferred) { stored in
                guard stored.metadata.uid == uid else {
                    throw LifecycleError(message: "the stored pod \(stored.objectKey) is another pod now")
                }
                stored.status = status
            }
            pod.status = updated.status
            pod.metadata = updated.metadata
            lastWritten = updated.status
        } catch let error as StoreError {
            throw LifecycleError(message: "status update failed: \(error)")
        }
    }

    // MARK: Timers

    /// Wakes the worker when a backoff ends, the active deadline passes, or the resync period is up.
    func scheduleNextWake(_ view: PodRuntimeView) {
        var delay = configuration.resyncPeriod
        let now = ImageManager.nowNanoseconds()
        for (key, _) in reasons {
            if let latest = view.latest(key.name, isInit: key.isInit), latest.state == .exited,
                let entry = backoff.entries[backoffKey(key.name)]
            {
                let end = latest.finishedAt + entry.delay.nanoseconds
                delay = min(delay, .nanoseconds(max(0, end - now) + 20_000_000))
            }
        }
        if reasons.values.contains(where: { $0.reason == "ImagePullBackOff" || $0.reason == "ErrImagePull" }) {
            delay = min(delay, configuration.imagePullBackoffBase / 2)
        }
        if let deadline = pod.spec.activeDeadlineSeconds, let start = pod.status.startTime {
            let end = (start.secondsSinceEpoch + deadline) * 1_000_000_000
            delay = min(delay, .nanoseconds(max(0, end - now) + 50_000_000))
        }
        if !limitedEmptyDirs.isEmpty { delay = min(delay, configuration.evictionCheckPeriod) }
        scheduleWake(after: delay)
    }

    func backoffKey(_ name: String) -> String {
        "\(pod.metadata.name ?? "")_\(paths.namespace)_\(uid)_\(name)"
    }

    /// After an agent restart the backoff history is rebuilt from the attempt numbers: starting attempt N moved
    /// the entry to base·2^(N-1), at about that instance's creation time.
    private func restoreBackoffIfNeeded(_ view: PodRuntimeView) {
        guard !backoffRestored else { return }
        backoffRestored = true
        for container in SandboxConfigBuilder.allContainers(pod.spec) {
            let isInit = pod.spec.initContainers?.contains(where: { $0.name == container.name }) ?? false
            guard let latest = view.latest(container.name, isInit: isInit), latest.attempt > 0 else { continue }
            var delay = configuration.backoffBase
            for _ in 1..<Int(min(latest.attempt, 32)) where delay < configuration.backoffMax { delay = delay * 2 }
            backoff.restore(backoffKey(container.name), delay: delay, lastUpdate: latest.createdAt)
        }
    }
}
