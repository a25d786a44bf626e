import CRI
import EventHTTP
import FoundationEssentials
import KubeTypes
import Logging
import Synchronization

/// The pod lifecycle engine: runs accepted pods on the container runtime with kubelet's semantics and reports
/// their status through the store.
///
/// One `PodWorker` per pod does the work (syncs of a pod are serialized and coalesced; pods run concurrently).
/// A relist loop stands in for runtime events: every `relistPeriod` it lists the runtime's objects and wakes the
/// workers of pods whose objects changed. `start()` first recovers: it adopts the runtime objects of stored pods
/// (nothing running is recreated), removes sandboxes of pods the store no longer has, and resumes deletions.
public final class PodManager: PodLifecycle {
    private struct State: Sendable {
        var workers: [String: PodWorker] = [:]
        var relistTask: Task<Void, Never>?
        var relister = Relister()
        var stopped = false
    }

    private let runtime: any ContainerRuntime
    private let store: ObjectStore<Pod>
    private let events: EventRecorder
    private let configuration: PodManagerConfiguration
    private let logger: Logger
    private let images: ImageManager
    private let listings: RuntimeListingCache
    /// Carries every httpGet and tcpSocket probe and httpGet hook of the node on one loop thread.
    private let http: HTTPClient
    private let state = Mutex(State())

    /// Creates the engine; nothing runs until `start()`.
    public init(
        runtime: any ContainerRuntime, store: ObjectStore<Pod>, events: EventRecorder,
        configuration: PodManagerConfiguration, logger: Logger
    ) {
        self.runtime = runtime
        self.store = store
        self.events = events
        self.configuration = configuration
        self.logger = logger
        self.images = ImageManager(
            runtime: runtime, events: events, backoffBase: configuration.imagePullBackoffBase,
            backoffMax: configuration.imagePullBackoffMax)
        self.listings = RuntimeListingCache(maxAge: max(configuration.relistPeriod * 3, .seconds(2)))
        self.http = HTTPClient(threadName: "swiftlet-probes")
    }

    // MARK: PodLifecycle

    /// Starts (or refreshes) the pod's worker. Idempotent: a pod already known is just synced again.
    public func podAdded(_ pod: Pod) async {
        guard let worker = worker(for: pod) else { return }
        await worker.update(pod)
    }

    /// Starts the pod's graceful termination; the worker removes it from the store when done.
    public func podDeletionRequested(_ pod: Pod) async {
        guard let worker = worker(for: pod) else { return }
        await worker.update(pod)
    }

    // MARK: Start and stop

    /// Recovers from whatever a previous run left (adopting stored pods' runtime objects, removing orphans,
    /// resuming deletions), then starts the relist loop.
    public func start() async {
        let stored = await store.list().items
        let storedUIDs = Set(stored.compactMap(\.metadata.uid))
        await removeOrphans(keeping: storedUIDs)
        for pod in stored {
            await podAdded(pod)
        }
        let period = configuration.relistPeriod
        let task = Task { [weak self] in
            while !Task.isCancelled {
                guard let self else { return }
                await self.relistOnce()
                try? await Task.sleep(for: period)
            }
        }
        state.withLock { $0.relistTask = task }
        logger.info("pod manager started", metadata: ["pods": "\(stored.count)"])
    }

    /// Stops the relist loop and every worker. Containers keep running: a later `start()` adopts them.
    public func stop() async {
        let (task, workers) = state.withLock { state -> (Task<Void, Never>?, [PodWorker]) in
            state.stopped = true
            let task = state.relistTask
            state.relistTask = nil
            return (task, Array(state.workers.values))
        }
        task?.cancel()
        await task?.value
        for worker in workers { await worker.shutdown() }
        await http.shutdown()
    }

    /// The number of pods with a worker (pods being run or terminated).
    public var activePodCount: Int { state.withLock { $0.workers.count } }

    // MARK: Internals

    private func worker(for pod: Pod) -> PodWorker? {
        guard let uid = pod.metadata.uid, !uid.isEmpty else {
            logger.warning("ignoring a pod without uid", metadata: ["pod": "\(pod.objectKey)"])
            return nil
        }
        let environment = WorkerEnvironment(
            runtime: runtime, store: store, events: events, images: images, configuration: configuration,
            logger: logger, listings: listings, http: HTTPProbeClient(client: http),
            onFinished: { [weak self] uid in self?.workerFinished(uid) })
        let (worker, created) = state.withLock { state -> (PodWorker?, Bool) in
            if state.stopped { return (nil, false) }
            if let existing = state.workers[uid] { return (existing, false) }
            let worker = PodWorker(pod: pod, environment: environment)
            state.workers[uid] = worker
            return (worker, true)
        }
        if created, let worker { Task { await worker.start() } }
        return worker
    }

    private func workerFinished(_ uid: String) {
        state.withLock { _ = $0.workers.removeValue(forKey: uid) }
    }

    /// One PLEG relist: two concurrent list calls, a diff, and a wake-up for each pod that changed. The listing is
    /// kept for the workers' syncs (`RuntimeListingCache`).
    func relistOnce() async {
        var sandboxFilter = Runtime_V1_PodSandboxFilter()
        sandboxFilter.labelSelector = configuration.ownerLabels
        var containerFilter = Runtime_V1_ContainerFilter()
        containerFilter.labelSelector = configuration.ownerLabels
        let sandboxes: [Runtime_V1_PodSandbox]
        let containers: [Runtime_V1_Container]
        let startedAt = ContinuousClock.now
        do {
            async let sandboxListing = runtime.listPodSandboxes(filter: sandboxFilter)
            async let containerListing = runtime.listContainers(filter: containerFilter)
            (sandboxes, containers) = try await (sandboxListing, containerListing)
        } catch {
            // Cancellation is `stop()`, not a runtime problem.
            if !Task.isCancelled { logger.warning("relist failed", metadata: ["error": "\(error)"]) }
            return
        }
        let pods = RuntimeListingCache.group(sandboxes: sandboxes, containers: containers)
        listings.record(startedAt: startedAt, pods: pods)
        let woken = state.withLock { state -> [PodWorker] in
            let changed = state.relister.diff(pods)
            return changed.compactMap { state.workers[$0] }
        }
        for worker in woken { await worker.wake() }
    }

    /// Removes the sandboxes and containers carrying the owner labels whose pod is not in the store.
    private func removeOrphans(keeping storedUIDs: Set<String>) async {
        var sandboxFilter = Runtime_V1_PodSandboxFilter()
        sandboxFilter.labelSelector = configuration.ownerLabels
        var containerFilter = Runtime_V1_ContainerFilter()
        containerFilter.labelSelector = configuration.ownerLabels
        do {
            let sandboxes = try await runtime.listPodSandboxes(filter: sandboxFilter)
            for sandbox in sandboxes {
                let uid = sandbox.labels[RuntimeLabels.podUID] ?? sandbox.metadata.uid
                guard !storedUIDs.contains(uid) else { continue }
                logger.info("removing an orphaned sandbox", metadata: ["sandbox": "\(sandbox.id)", "uid": "\(uid)"])
                try await runtime.stopPodSandbox(id: sandbox.id)
                try await runtime.removePodSandbox(id: sandbox.id)
                VolumeManager.tearDown(paths: PodPaths(
                    root: configuration.rootDirectory, namespace: sandbox.metadata.namespace,
                    name: sandbox.metadata.name, uid: uid))
            }
            for container in try await runtime.listContainers(filter: containerFilter) {
                guard let uid = container.labels[RuntimeLabels.podUID], !storedUIDs.contains(uid) else { continue }
                try await runtime.removeContainer(id: container.id)
            }
        } catch {
            logger.warning("removing orphaned runtime objects failed", metadata: ["error": "\(error)"])
        }
    }
}
