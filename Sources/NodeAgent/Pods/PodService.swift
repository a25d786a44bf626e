import FoundationEssentials
import KubeTypes
import Logging

/// The node's pod API, behind the HTTP handlers: accepts, stores, lists, watches and deletes pods.
///
/// It does what the Kubernetes API server does for a pod before a kubelet sees it — defaulting, validation,
/// admission, durable storage — and then hands the pod to the lifecycle engine. A pod is acknowledged only once
/// it is on disk; the engine reports back through the store (status, final removal) and the event recorder.
public actor PodService {
    private let store: ObjectStore<Pod>
    private let lifecycle: any PodLifecycle
    private let events: EventRecorder
    private let admission: PodAdmission
    private let now: @Sendable () -> Time
    private let logger: Logger
    /// Pods admitted but not yet stored: admission counts them so concurrent creates cannot overcommit the node.
    private var pendingAdmissions: [ObjectKey: Pod] = [:]

    /// Creates the service.
    public init(
        store: ObjectStore<Pod>, lifecycle: any PodLifecycle, events: EventRecorder, admission: PodAdmission,
        logger: Logger, now: @escaping @Sendable () -> Time = { Time.now() }
    ) {
        self.store = store
        self.lifecycle = lifecycle
        self.events = events
        self.admission = admission
        self.logger = logger
        self.now = now
    }

    /// Validates, defaults, admits and durably stores `submitted`, then starts it.
    ///
    /// - Throws: `APIStatusError` with 422 Invalid, 409 AlreadyExists or 403 Forbidden.
    public func create(_ submitted: Pod) async throws -> Pod {
        var pod = submitted
        if let kind = pod.kind, kind != "Pod" {
            throw APIStatusError(.badRequest("the body is a \(kind), not a Pod"))
        }
        if let version = pod.apiVersion, version != "v1" {
            throw APIStatusError(.badRequest("apiVersion \(version) is not served; use v1"))
        }
        if (pod.metadata.namespace ?? "").isEmpty { pod.metadata.namespace = "default" }
        // Fields the server owns are reset, as the API server does on create.
        pod.metadata.uid = nil
        pod.metadata.resourceVersion = nil
        pod.metadata.creationTimestamp = nil
        pod.metadata.deletionTimestamp = nil
        pod.metadata.deletionGracePeriodSeconds = nil
        pod.status = PodStatus()
        if pod.metadata.annotations?[StaticPodAnnotations.source] != nil {
            throw APIStatusError(.invalid(kind: "Pod", name: pod.metadata.name ?? "", errors: [
                .forbidden(ValidationPath("metadata").child("annotations").key(StaticPodAnnotations.source),
                           "is set by the node for static pods from manifest files; remove it"),
            ]))
        }
        let generated = (pod.metadata.name ?? "").isEmpty && !(pod.metadata.generateName ?? "").isEmpty
        // generateName collisions are retried a few times before giving up, as the API server's retry does.
        for _ in 0..<(generated ? 8 : 1) {
            var candidate = pod
            if generated, let prefix = candidate.metadata.generateName {
                candidate.metadata.name = PodDefaulting.generateName(prefix: prefix)
            }
            PodDefaulting.apply(to: &candidate, now: now(), uid: UUID().uuidString.lowercased())
            candidate.apiVersion = "v1"
            candidate.kind = "Pod"
            if let created = try await admitAndStore(candidate, retryOnNameTaken: generated) {
                return created
            }
        }
        throw APIStatusError(.generateNameConflict(resource: "pods", name: pod.metadata.generateName ?? "", retryAfterSeconds: 1))
    }

    /// Stores a static pod that `StaticPodSource` built from a manifest file: its name, namespace, uid and
    /// annotations are already set, so only defaulting, validation and admission remain.
    func createStatic(_ manifestPod: Pod) async throws -> Pod {
        var candidate = manifestPod
        PodDefaulting.apply(to: &candidate, now: now(), uid: manifestPod.metadata.uid ?? UUID().uuidString.lowercased())
        candidate.apiVersion = "v1"
        candidate.kind = "Pod"
        guard let created = try await admitAndStore(candidate, retryOnNameTaken: false) else {
            throw APIStatusError(.alreadyExists(resource: "pods", name: candidate.metadata.name ?? ""))
        }
        return created
    }

    /// Validates, admits and durably stores a defaulted pod, then hands it to the lifecycle engine.
    ///
    /// - Returns: the stored pod, or nil when the name is taken and `retryOnNameTaken` asks the caller to pick
    ///   another name instead of failing.
    private func admitAndStore(_ candidate: Pod, retryOnNameTaken: Bool) async throws -> Pod? {
        let problems = PodValidation.validate(candidate)
        guard problems.isEmpty else {
            throw APIStatusError(.invalid(kind: "Pod", name: candidate.metadata.name ?? "", errors: problems))
        }
        let key = ObjectKey(namespace: candidate.metadata.namespace ?? "default", name: candidate.metadata.name ?? "")
        if await store.get(key) != nil || pendingAdmissions[key] != nil {
            if retryOnNameTaken { return nil }
            throw APIStatusError(.alreadyExists(resource: "pods", name: key.name))
        }
        let (stored, _) = await store.list()
        // A create whose write the store has already published may not have returned here yet: it is in both
        // lists, and counting it twice refused the last pods of a burst at exactly maxPods.
        let storedKeys = Set(stored.map(\.objectKey))
        let inFlight = pendingAdmissions.filter { !storedKeys.contains($0.key) }.values
        if let refusal = admission.refusal(for: candidate, admitted: stored + inFlight) {
            throw APIStatusError(refusal)
        }
        pendingAdmissions[key] = candidate
        defer { pendingAdmissions[key] = nil }
        let created: Pod
        do {
            created = try await store.create(candidate)
        } catch StoreError.alreadyExists {
            if retryOnNameTaken { return nil }
            throw APIStatusError(.alreadyExists(resource: "pods", name: key.name))
        } catch {
            throw APIStatusError(.internalError("storing pod \(key): \(error)"))
        }
        let origin = StaticPodAnnotations.manifestFile(of: created).map { "from manifest \($0)" } ?? "by node"
        events.record(created, type: .normal, reason: "Accepted", message: "Pod accepted \(origin) and stored")
        await lifecycle.podAdded(created)
        return created
    }

    /// Starts a graceful deletion, or shortens one already in progress.
    ///
    /// - Parameters:
    ///   - gracePeriodSeconds: overrides the pod's `terminationGracePeriodSeconds`; 0 means immediately.
    ///   - uid: when given, the pod must still have this uid (a `DeleteOptions` precondition).
    /// - Returns: the pod carrying `deletionTimestamp` and `deletionGracePeriodSeconds`.
    public func delete(_ key: ObjectKey, gracePeriodSeconds: Int64?, uid: String? = nil) async throws -> Pod {
        if let current = await store.get(key), let manifest = StaticPodAnnotations.manifestFile(of: current) {
            throw APIStatusError(.forbidden(
                resource: "pods", name: key.name,
                reason: "it is a static pod from the manifest file \(manifest); remove or change that file instead"))
        }
        return try await terminate(key, gracePeriodSeconds: gracePeriodSeconds, uid: uid)
    }

    /// Deletes a static pod whose manifest file was removed or changed; the API's `delete` refuses these.
    func deleteStatic(_ key: ObjectKey, uid: String) async throws {
        _ = try await terminate(key, gracePeriodSeconds: nil, uid: uid)
    }

    private func terminate(_ key: ObjectKey, gracePeriodSeconds: Int64?, uid: String?) async throws -> Pod {
        guard let current = await store.get(key) else {
            throw APIStatusError(.notFound(resource: "pods", name: key.name))
        }
        if let uid, current.metadata.uid != uid {
            throw APIStatusError(.conflict(
                resource: "pods", name: key.name,
                reason: "Precondition failed: UID in precondition: \(uid), UID in object meta: \(current.metadata.uid ?? "")"))
        }
        if let grace = gracePeriodSeconds, grace < 0 {
            throw APIStatusError(.invalid(kind: "DeleteOptions", name: key.name, errors: [
                .invalid(ValidationPath("gracePeriodSeconds"), .int(grace), "must be greater than or equal to 0"),
            ]))
        }
        let requested = gracePeriodSeconds ?? current.spec.terminationGracePeriodSeconds ?? 30
        let startedAt = now()
        let updated: Pod
        do {
            updated = try await store.update(key) { pod in
                // A second delete may shorten the grace period but never lengthen it, as in Kubernetes.
                if let existing = pod.metadata.deletionGracePeriodSeconds, existing <= requested { return }
                pod.metadata.deletionGracePeriodSeconds = requested
                pod.metadata.deletionTimestamp = startedAt.adding(seconds: requested)
            }
        } catch StoreError.notFound {
            throw APIStatusError(.notFound(resource: "pods", name: key.name))
        } catch {
            throw APIStatusError(.internalError("marking pod \(key) for deletion: \(error)"))
        }
        events.record(updated, type: .normal, reason: "Killing", message: "Stopping pod (grace period \(requested)s)")
        await lifecycle.podDeletionRequested(updated)
        return updated
    }

    /// The pod stored under `key`.
    public func get(_ key: ObjectKey) async -> Pod? {
        await store.get(key)
    }

    /// The encoded JSON of the pods that match, and the list's resourceVersion: lists are served from the
    /// store's per-object encoding cache instead of encoding every pod per request.
    public func listEncoded(where predicate: @escaping @Sendable (Pod) -> Bool) async -> (items: [[UInt8]], resourceVersion: String) {
        await store.listEncoded(where: predicate)
    }

    /// Every pod's JSON, joined by commas, and the list's resourceVersion: cached by the store until the next
    /// change, so an unfiltered `GET /pods` costs one copy.
    public func listEncodedJoined() async -> (json: [UInt8], resourceVersion: String) {
        let joined = await store.listEncodedJoined()
        return (joined.json, joined.resourceVersion)
    }

    /// The pods that match.
    public func list(where predicate: @escaping @Sendable (Pod) -> Bool) async -> (items: [Pod], resourceVersion: String) {
        await store.list(where: predicate)
    }

    /// A watch over the pods that match; see `ObjectStore.watch` for the version semantics.
    public func watch(
        fromResourceVersion: String?, filter: @escaping @Sendable (Pod) -> Bool, bufferLimit: Int, bookmarkInterval: Duration?
    ) async throws -> ObjectWatch<Pod> {
        do {
            return try await store.watch(
                fromResourceVersion: fromResourceVersion, filter: filter, bufferLimit: bufferLimit,
                bookmarkInterval: bookmarkInterval)
        } catch let error as StoreError {
            throw APIStatusError(.badRequest(error.description))
        }
    }

    /// The event recorder, for the events routes.
    public nonisolated var eventRecorder: EventRecorder { events }
}
