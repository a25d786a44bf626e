import CRI
import Foundation
import KubeTypes
import Logging
import Synchronization
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@testable import NodeAgent

/// One lifecycle test's world: the shared containerd, an in-memory store, a PodManager whose owner labels are the
/// test's scope (so concurrent tests never see each other's pods), and a private root directory.
final class LifecycleBed: Sendable {
    let testRuntime: TestRuntime
    let client: GRPCContainerRuntime
    /// What the engine talks to: the client, or a test's wrapper around it.
    let runtime: any ContainerRuntime
    let scope: TestScope
    let store: ObjectStore<Pod>
    let events: EventRecorder
    let configuration: PodManagerConfiguration
    let manager: PodManager

    static let logger = TestRuntime.makeLogger("swiftlet.test.lifecycle")

    private init(testRuntime: TestRuntime, client: GRPCContainerRuntime, runtime: any ContainerRuntime, scope: TestScope,
                 store: ObjectStore<Pod>, configuration: PodManagerConfiguration) {
        self.testRuntime = testRuntime
        self.client = client
        self.runtime = runtime
        self.scope = scope
        self.store = store
        self.configuration = configuration
        self.events = EventRecorder(nodeName: configuration.nodeName, logger: Self.logger)
        self.manager = PodManager(runtime: runtime, store: store, events: events, configuration: configuration,
                                  logger: Self.logger)
    }

    /// A second engine over the same store, runtime and configuration (an agent restart).
    func makeManager() -> PodManager {
        PodManager(runtime: runtime, store: store, events: events, configuration: configuration, logger: Self.logger)
    }

    /// Runs `body` with a started bed; stops the manager and removes everything labelled with the scope after,
    /// whether `body` threw or not.
    static func with(
        _ name: String, backoffBase: Duration = .seconds(1), imagePullBackoffBase: Duration = .seconds(1),
        probeObserver: (any ProbeObserver)? = nil, syncObserver: (any PodSyncObserver)? = nil,
        relistPeriod: Duration = .milliseconds(200), resyncPeriod: Duration = .seconds(60),
        wrapRuntime: (GRPCContainerRuntime) -> any ContainerRuntime = { $0 },
        _ body: (LifecycleBed) async throws -> Void
    ) async throws {
        let testRuntime = try await TestRuntime.shared()
        let scope = testRuntime.makeScope(name)
        let client = try testRuntime.makeClient()
        let root = NSTemporaryDirectory() + "swiftlet-lifecycle-tests/" + scope.id
        let configuration = PodManagerConfiguration(
            nodeName: "test-node", rootDirectory: root, relistPeriod: relistPeriod, backoffBase: backoffBase,
            backoffMax: backoffBase * 30, imagePullBackoffBase: imagePullBackoffBase,
            imagePullBackoffMax: imagePullBackoffBase * 30, hostIP: "127.0.0.1", ownerLabels: scope.labels,
            resyncPeriod: resyncPeriod, probeObserver: probeObserver, evictionCheckPeriod: .seconds(1),
            syncObserver: syncObserver)
        let store = try await ObjectStore<Pod>(directory: InMemoryPersistence(), logger: logger)
        let bed = LifecycleBed(testRuntime: testRuntime, client: client, runtime: wrapRuntime(client), scope: scope,
                               store: store, configuration: configuration)
        await bed.manager.start()
        var failure: (any Error)?
        do { try await body(bed) } catch { failure = error }
        await bed.manager.stop()
        _ = try? await testRuntime.cleanUp(scope)
        unmountAll(under: root)
        try? FileManager.default.removeItem(atPath: root)
        await client.close()
        if let failure { throw failure }
    }

    /// tmpfs emptyDirs of a failed test would keep the root from being removed.
    static func unmountAll(under root: String) {
        guard let text = try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8) else { return }
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            if fields.count > 4, fields[4].hasPrefix(root) { umount2(String(fields[4]), Int32(MNT_DETACH)) }
        }
    }

    // MARK: Pods

    /// A defaulted pod named `<scope>-<suffix>` with the given containers.
    func makePod(_ suffix: String, restartPolicy: RestartPolicy = .always, containers: [Container],
                 initContainers: [Container]? = nil, volumes: [Volume]? = nil) -> Pod {
        var pod = Pod(metadata: ObjectMeta(name: scope.name(suffix), namespace: "default"),
                      spec: PodSpec(volumes: volumes, initContainers: initContainers, containers: containers,
                                    restartPolicy: restartPolicy))
        PodDefaulting.apply(to: &pod, now: Time.now(), uid: UUID().uuidString.lowercased())
        return pod
    }

    /// A busybox container running `script` with `sh -c`.
    func shell(_ name: String, _ script: String) -> Container {
        Container(name: name, image: testRuntime.busyboxImage, command: ["sh", "-c", script])
    }

    /// Stores the pod and hands it to the engine, as PodService does.
    @discardableResult
    func submit(_ pod: Pod) async throws -> Pod {
        let stored = try await store.create(pod)
        await manager.podAdded(stored)
        return stored
    }

    /// Marks the pod deleted with `grace` and tells the engine, as PodService does.
    func requestDeletion(_ pod: Pod, grace: Int64) async throws {
        let updated = try await store.update(pod.objectKey) { stored in
            stored.metadata.deletionTimestamp = Time.now()
            stored.metadata.deletionGracePeriodSeconds = grace
        }
        await manager.podDeletionRequested(updated)
    }

    /// Polls the store until `predicate` holds; records the last status seen when it never does.
    @discardableResult
    func waitFor(
        _ pod: Pod, timeout: Duration = .seconds(30), _ what: String = "condition",
        _ predicate: (Pod) -> Bool
    ) async throws -> Pod {
        let deadline = ContinuousClock.now + timeout
        var last: Pod?
        while ContinuousClock.now < deadline {
            if let current = await store.get(pod.objectKey) {
                last = current
                if predicate(current) { return current }
            }
            try await Task.sleep(for: .milliseconds(40))
        }
        let text = last.flatMap { try? KubeJSON.encode($0.status) }.map { String(decoding: $0, as: UTF8.self) } ?? "none"
        throw LifecycleTestError(message: "timed out waiting for \(what); last status: \(text)")
    }

    /// Polls until the pod is gone from the store.
    func waitGone(_ pod: Pod, timeout: Duration = .seconds(30)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if await store.get(pod.objectKey) == nil { return }
            try await Task.sleep(for: .milliseconds(40))
        }
        throw LifecycleTestError(message: "pod \(pod.objectKey) still stored after \(timeout)")
    }

    /// The log file of a container instance.
    func logPath(_ pod: Pod, container: String, attempt: Int = 0) -> String {
        "\(configuration.rootDirectory)/pods/logs/default_\(pod.metadata.name ?? "")_\(pod.metadata.uid ?? "")/\(container)/\(attempt).log"
    }

    /// The content of a CRI log file (timestamps and stream tags stripped).
    func logContent(_ pod: Pod, container: String, attempt: Int = 0) -> String {
        guard let data = FileManager.default.contents(atPath: logPath(pod, container: container, attempt: attempt)) else {
            return ""
        }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map { line in
            let fields = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false)
            return fields.count == 4 ? String(fields[3]) : ""
        }.joined(separator: "\n")
    }

    /// The runtime's containers of a pod.
    func runtimeContainers(_ pod: Pod) async throws -> [Runtime_V1_Container] {
        var filter = Runtime_V1_ContainerFilter()
        filter.labelSelector = scope.labels.merging(["io.kubernetes.pod.uid": pod.metadata.uid ?? ""]) { $1 }
        return try await client.listContainers(filter: filter)
    }

    /// The runtime's sandboxes of a pod (all of the scope when `pod` is nil).
    func runtimeSandboxes(_ pod: Pod?) async throws -> [Runtime_V1_PodSandbox] {
        var filter = Runtime_V1_PodSandboxFilter()
        filter.labelSelector = scope.labels
        if let uid = pod?.metadata.uid { filter.labelSelector["io.kubernetes.pod.uid"] = uid }
        return try await client.listPodSandboxes(filter: filter)
    }
}

struct LifecycleTestError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

extension Pod {
    func condition(_ type: PodConditionType) -> PodCondition? { status.conditions?.first { $0.type == type } }
    func container(_ name: String) -> ContainerStatus? { status.containerStatuses?.first { $0.name == name } }
    func initContainer(_ name: String) -> ContainerStatus? { status.initContainerStatuses?.first { $0.name == name } }
}

// MARK: - Probes and hooks
/// Helpers the probe and hook tests share on top of `LifecycleBed`.
extension LifecycleBed {
    /// The pod's events.
    func events(_ pod: Pod) -> [Event] { events.events(podUID: pod.metadata.uid) }

    /// Polls the recorder until an event with `reason` (and `containing` in its message) exists.
    @discardableResult
    func waitForEvent(_ pod: Pod, reason: String, containing text: String = "", timeout: Duration = .seconds(30)) async throws -> Event {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            // `"x".contains("")` is false, so an empty `text` is checked apart.
            if let event = events(pod).first(where: { $0.reason == reason && (text.isEmpty || ($0.message ?? "").contains(text)) }) {
                return event
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        let seen = events(pod).map { "\($0.reason ?? ""): \($0.message ?? "")" }.joined(separator: " | ")
        throw LifecycleTestError(message: "no \(reason) event containing \"\(text)\"; events: \(seen)")
    }

    /// The host directory of an emptyDir volume of the pod.
    func emptyDir(_ pod: Pod, _ volume: String) -> String {
        "\(configuration.rootDirectory)/pods/\(pod.metadata.uid ?? "")/volumes/kubernetes.io~empty-dir/\(volume)"
    }

    /// Runs `command` in the container's current instance (as a test's hand inside the container).
    func exec(_ pod: Pod, container: String, _ command: [String]) async throws {
        let current = try #require(await store.get(pod.objectKey)?.container(container)?.containerID)
        let id = String(current.dropFirst("containerd://".count))
        let result = try await client.execSync(id: id, command: command, timeout: .seconds(10))
        #expect(result.exitCode == 0, "exec \(command): \(result.stderrText)")
    }

    /// A busybox container running `script`, with probes and ports.
    func probed(
        _ name: String, _ script: String, liveness: Probe? = nil, readiness: Probe? = nil, startup: Probe? = nil,
        ports: [ContainerPort]? = nil, lifecycle: Lifecycle? = nil
    ) -> Container {
        var container = shell(name, script)
        container.livenessProbe = liveness
        container.readinessProbe = readiness
        container.startupProbe = startup
        container.ports = ports
        container.lifecycle = lifecycle
        return container
    }
}

/// A probe with an exec handler and fast timing.
func execProbe(_ command: String, period: Int32 = 1, failureThreshold: Int32 = 1, initialDelay: Int32? = nil,
               timeout: Int32? = nil, grace: Int64? = nil) -> Probe {
    Probe(exec: ExecAction(command: ["sh", "-c", command]), initialDelaySeconds: initialDelay, timeoutSeconds: timeout,
          periodSeconds: period, failureThreshold: failureThreshold, terminationGracePeriodSeconds: grace)
}

/// A busybox `nc -l` loop answering every request with `response` and appending each request to `file`.
func ncServer(port: Int, response: String, file: String) -> String {
    let escaped = response.replacingOccurrences(of: "\r\n", with: "\\r\\n")
    return "while true; do printf '\(escaped)' | nc -l -p \(port) >> \(file); done"
}

/// An exec readiness probe that passes once something listens on TCP `port` in the pod's network namespace
/// (read from /proc/net/tcp and tcp6, so it opens no connection a test server would count).
func listening(onPort port: Int) -> Probe {
    let hex = String(port, radix: 16, uppercase: true)
    let padded = String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    // nc may listen on IPv4 or on an IPv6 wildcard: a LISTEN (0A) row in either table will do.
    return execProbe("grep -qE ':\(padded) 0+:0000 0A' /proc/net/tcp /proc/net/tcp6")
}

/// Keeps every probe observation, for assertions on the metrics seam.
final class RecordingProbeObserver: ProbeObserver {
    private let observations = Mutex<[ProbeObservation]>([])
    func observe(_ observation: ProbeObservation) { observations.withLock { $0.append(observation) } }
    var all: [ProbeObservation] { observations.withLock { $0 } }
}

/// Bounds how many probe and hook beds run at once: each runs a pod on the shared 2-core machine, and all of
/// them at once next to the lifecycle suite starve each other's image pulls and syncs.
actor TestSlots {
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(_ count: Int) { free = count }

    /// Runs `body` once a slot is free.
    func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        if free > 0 {
            free -= 1
        } else {
            await withCheckedContinuation { waiting.append($0) }
        }
        defer { release() }
        return try await body()
    }

    private func release() {
        if waiting.isEmpty {
            free += 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}

extension LifecycleBed {
    /// The probe and hook tests' slots.
    static let probeSlots = TestSlots(5)

    /// `with`, inside one of `probeSlots`.
    static func withSlot(
        _ name: String, probeObserver: (any ProbeObserver)? = nil, _ body: @Sendable (LifecycleBed) async throws -> Void
    ) async throws {
        try await probeSlots.run {
            try await LifecycleBed.with(name, probeObserver: probeObserver, body)
        }
    }
}
