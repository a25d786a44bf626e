import CRI
import KubeTypes

/// Finds containers from the pod's stored status (which instance a request means, as kubelet decides it) and the
/// runtime (whether that instance still exists, its state and its log file).
///
/// One `ListContainers` filtered by the pod-uid label and one `ContainerStatus` per request; no fan-out over the
/// node's containers.
public struct RuntimeContainerLocator: ContainerLocating {
    private let lookup: @Sendable (ObjectKey) async -> Pod?
    private let runtime: any ContainerRuntime

    /// A locator over the node's pod API and its runtime.
    public init(pods: PodService, runtime: any ContainerRuntime) {
        self.lookup = { key in await pods.get(key) }
        self.runtime = runtime
    }

    /// A locator over a pod store directly (engines assembled without a `PodService`, such as tests).
    public init(store: ObjectStore<Pod>, runtime: any ContainerRuntime) {
        self.lookup = { key in await store.get(key) }
        self.runtime = runtime
    }

    /// See `ContainerLocating.locate`.
    public func locate(namespace: String, pod podName: String, container: String?, previous: Bool) async throws
        -> ContainerTarget
    {
        guard let pod = await lookup(ObjectKey(namespace: namespace, name: podName)) else {
            throw APIStatusError(.notFound(resource: "pods", name: podName))
        }
        let name = try ContainerChoice.name(container, in: pod, podName: podName)
        guard let uid = pod.metadata.uid, !uid.isEmpty else {
            // A stored pod always has a uid; without one its runtime objects cannot be found.
            throw APIStatusError(.internalError("pod \(namespace)/\(podName) has no uid"))
        }
        var filter = Runtime_V1_ContainerFilter()
        filter.labelSelector = [RuntimeLabels.podUID: uid]
        let instances = try await runtimeCall("listing the pod's containers") {
            try await runtime.listContainers(filter: filter)
        }.filter { ($0.labels[RuntimeLabels.containerName] ?? $0.metadata.name) == name }

        let id: String
        switch InstanceChoice.decide(name: name, podName: podName, pod: pod, previous: previous) {
        case .instance(let chosen):
            id = chosen
        case .notStarted(let error):
            // The stored status lags the runtime by up to one relist: a container the runtime already runs is
            // served rather than refused as "waiting".
            guard !previous, let started = instances.filter({ $0.state == .containerRunning })
                .max(by: { ($0.createdAt, $0.metadata.attempt) < ($1.createdAt, $1.metadata.attempt) })
            else { throw error }
            id = started.id
        }
        guard instances.contains(where: { $0.id == id }) else {
            // Removed from the runtime (garbage-collected instance, or the pod's sandbox is gone).
            if previous {
                throw APIStatusError(.badRequest(
                    "previous terminated container \(quotedName(name)) in pod \(quotedName(podName)) not found"))
            }
            throw APIStatusError(ContainerChoice.containerNotFound(name, podName: podName))
        }
        let status = try await runtimeCall("reading the container's status") {
            try await runtime.containerStatus(id: id, verbose: false)
        }.status
        guard !status.logPath.isEmpty else {
            throw APIStatusError(.internalError("the runtime reports no log path for container \(id)"))
        }
        return ContainerTarget(
            podUID: uid, namespace: namespace, podName: podName, containerName: name, containerID: id,
            logPath: status.logPath, isRunning: status.state == .containerRunning)
    }

    /// Runs a CRI call, turning its failure into a 500 that says what was being done (a CRI `NotFound` means the
    /// container vanished between the list and the call: 404).
    private func runtimeCall<T>(_ what: String, _ call: () async throws -> T) async throws -> T {
        do {
            return try await call()
        } catch let error as CRIError where error.code == .notFound {
            throw APIStatusError(.failure(code: 404, reason: StatusReason.notFound, message: "\(what): \(error)"))
        } catch let error as APIStatusError {
            throw error
        } catch {
            throw APIStatusError(.internalError("\(what): \(error)"))
        }
    }
}

/// Go's `%q` of a name, as Kubernetes messages quote them.
func quotedName(_ name: String) -> String {
    var out = "\""
    for scalar in name.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}
