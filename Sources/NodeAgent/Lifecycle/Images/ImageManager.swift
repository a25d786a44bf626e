import CRI
import FoundationEssentials
import KubeTypes

/// What a container needs from its image once it is on the node.
struct ImageInfo: Sendable, Equatable {
    /// The runtime's image id.
    var ref: String
    /// The image's user, when numeric.
    var uid: Int64?
    /// The image's user, when a name.
    var username: String
}

/// Makes images present per pull policy, with kubelet's events and ImagePullBackOff, pulling each image once even
/// when many containers want it at the same time.
actor ImageManager {
    private let runtime: any ContainerRuntime
    private let events: EventRecorder
    private var backoff: Backoff
    private var inFlight: [String: Task<String, any Error>] = [:]

    init(runtime: any ContainerRuntime, events: EventRecorder, backoffBase: Duration, backoffMax: Duration) {
        self.runtime = runtime
        self.events = events
        self.backoff = Backoff(base: backoffBase, max: backoffMax)
    }

    /// The effective pull policy: as given, else `Always` for `:latest` or untagged images, else `IfNotPresent`.
    static func pullPolicy(_ container: Container) -> PullPolicy {
        if let policy = container.imagePullPolicy { return policy }
        let image = container.image ?? ""
        if image.contains("@") { return .ifNotPresent }
        let lastComponent = image.split(separator: "/").last.map(String.init) ?? image
        guard let colon = lastComponent.lastIndex(of: ":") else { return .always }
        return lastComponent[lastComponent.index(after: colon)...] == "latest" ? .always : .ifNotPresent
    }

    /// The result of one `ImageStatus` call: the image, nil when it is absent, or the call's error.
    typealias Lookup = Result<Runtime_V1_Image?, any Error>

    /// Makes the container's image present. On failure returns the waiting reason to report. `lookup` is an
    /// `ImageStatus` answer the caller took moments ago in the same sync; without it the image is looked up here.
    func ensureImage(
        pod: Pod, container: Container, sandboxConfig: Runtime_V1_PodSandboxConfig?, lookup: Lookup? = nil
    ) async -> Result<ImageInfo, ContainerWaitingReason> {
        let image = container.image ?? ""
        guard !image.isEmpty else {
            return .failure(ContainerWaitingReason(reason: "InvalidImageName", message: "Failed to apply default image tag \"\": couldn't parse image name \"\": invalid reference format"))
        }
        let policy = Self.pullPolicy(container)
        let present: Runtime_V1_Image?
        do {
            if let lookup { present = try lookup.get() } else { present = try await runtime.imageStatus(image) }
        } catch {
            return .failure(ContainerWaitingReason(reason: "ErrImageInspect", message: "Failed to inspect image \"\(image)\": \(error)"))
        }
        if policy == .never {
            if let present { return .success(Self.info(present)) }
            let message = "Container image \"\(image)\" is not present with pull policy of Never"
            events.record(pod, type: .warning, reason: "ErrImageNeverPull", message: message)
            return .failure(ContainerWaitingReason(reason: "ErrImageNeverPull", message: message))
        }
        if policy == .ifNotPresent, let present {
            events.record(pod, type: .normal, reason: "Pulled", message: "Container image \"\(image)\" already present on machine")
            return .success(Self.info(present))
        }
        let key = "\(pod.metadata.uid ?? "")/\(image)"
        let now = Self.nowNanoseconds()
        if backoff.isInBackOffSinceUpdate(key, now: now) {
            let message = "Back-off pulling image \"\(image)\""
            events.record(pod, type: .normal, reason: "BackOff", message: message)
            return .failure(ContainerWaitingReason(reason: "ImagePullBackOff", message: message))
        }
        events.record(pod, type: .normal, reason: "Pulling", message: "Pulling image \"\(image)\"")
        let started = ContinuousClock.now
        do {
            let ref = try await pull(image, sandboxConfig: sandboxConfig)
            let elapsed = ContinuousClock.now - started
            let status = try? await runtime.imageStatus(image)
            let size = status?.size ?? 0
            let took = elapsed.goString
            events.record(pod, type: .normal, reason: "Pulled",
                          message: "Successfully pulled image \"\(image)\" in \(took) (\(took) including waiting). Image size: \(size) bytes.")
            backoff.reset(key)
            var info = status.map(Self.info) ?? ImageInfo(ref: ref, uid: nil, username: "")
            if info.ref.isEmpty { info.ref = ref }
            return .success(info)
        } catch {
            backoff.next(key, eventTime: Self.nowNanoseconds(), now: Self.nowNanoseconds())
            let text = (error as? CRIError).map { "code = \($0.code.rawValue) desc = \($0.message)" } ?? "\(error)"
            events.record(pod, type: .warning, reason: "Failed", message: "Failed to pull image \"\(image)\": \(text)")
            events.record(pod, type: .warning, reason: "Failed", message: "Error: ErrImagePull")
            return .failure(ContainerWaitingReason(reason: "ErrImagePull", message: "failed to pull image \"\(image)\": \(text)"))
        }
    }

    /// When the pull backoff of `image` for `pod` ends (nanoseconds since the epoch), if it is backing off.
    func backoffEnd(podUID: String, image: String) -> Int64? {
        let key = "\(podUID)/\(image)"
        guard let entry = backoff.entries[key] else { return nil }
        return entry.lastUpdate + entry.delay.nanoseconds
    }

    /// Forgets a pod's pull backoffs.
    func forget(podUID: String) {
        for key in backoff.entries.keys where key.hasPrefix(podUID + "/") { backoff.reset(key) }
    }

    /// One pull per image at a time; concurrent callers share its result.
    private func pull(_ image: String, sandboxConfig: Runtime_V1_PodSandboxConfig?) async throws -> String {
        if let existing = inFlight[image] { return try await existing.value }
        let runtime = self.runtime
        let task = Task { try await runtime.pullImage(image, auth: nil, sandboxConfig: sandboxConfig) }
        inFlight[image] = task
        defer { inFlight[image] = nil }
        return try await task.value
    }

    private static func info(_ image: Runtime_V1_Image) -> ImageInfo {
        ImageInfo(ref: image.id, uid: image.hasUid ? image.uid.value : nil, username: image.username)
    }

    static func nowNanoseconds() -> Int64 {
        Int64(Date().timeIntervalSince1970 * 1_000_000_000)
    }
}
