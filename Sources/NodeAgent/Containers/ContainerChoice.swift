import KubeTypes

/// Which container of a pod a request names, with the API server's and kubelet's error wording.
enum ContainerChoice {
    /// The container called `requested`, or the pod's only container when nil or empty.
    ///
    /// - Throws: 400 `a container name must be specified for pod y, choose one of: [a b]` (the API server's text
    ///   for a pod with several containers; `[a b]` is Go's `%s` of a string slice), 404
    ///   `container "x" not found in pod "y"` (kubelet's text) for a name the spec does not have.
    static func name(_ requested: String?, in pod: Pod, podName: String) throws -> String {
        let containers = pod.spec.containers.map(\.name)
        guard let requested, !requested.isEmpty else {
            if containers.count == 1 { return containers[0] }
            if containers.isEmpty {
                throw APIStatusError(.badRequest("a container name must be specified for pod \(podName)"))
            }
            throw APIStatusError(.badRequest(
                "a container name must be specified for pod \(podName), choose one of: [\(containers.joined(separator: " "))]"))
        }
        let initContainers = (pod.spec.initContainers ?? []).map(\.name)
        guard containers.contains(requested) || initContainers.contains(requested) else {
            throw APIStatusError(containerNotFound(requested, podName: podName))
        }
        return requested
    }

    /// 404 `container "x" not found in pod "y"`.
    static func containerNotFound(_ name: String, podName: String) -> Status {
        .failure(code: 404, reason: StatusReason.notFound,
                 message: "container \(quotedName(name)) not found in pod \(quotedName(podName))",
                 details: StatusDetails(name: podName, kind: "pods"))
    }
}

/// Which instance of a container a request means, decided from the pod's status as kubelet's
/// `validateContainerLogStatus` does.
enum InstanceChoice {
    /// The runtime ID of the chosen instance.
    case instance(String)
    /// No instance to read: the error to answer with (400 BadRequest in kubelet's wording).
    case notStarted(APIStatusError)

    static func decide(name: String, podName: String, pod: Pod, previous: Bool) -> InstanceChoice {
        let who = "container \(quotedName(name)) in pod \(quotedName(podName))"
        let statuses = (pod.status.containerStatuses ?? []) + (pod.status.initContainerStatuses ?? [])
        guard let status = statuses.first(where: { $0.name == name }) else {
            // No status yet: the pod was accepted and its first sync has not reported. kubelet would call the
            // container "not available"; the status about to be written says ContainerCreating (or
            // PodInitializing behind init containers), which is what a client sees an instant later.
            let reason = (pod.spec.initContainers ?? []).isEmpty || isInit(name, pod) ? "ContainerCreating" : "PodInitializing"
            return .notStarted(badRequest("\(who) is waiting to start: \(reason)"))
        }
        let lastTerminated = status.lastState?.terminated
        let lastID = lastTerminated?.containerID.flatMap(runtimeID)
        if previous {
            guard let lastID else { return .notStarted(badRequest("previous terminated \(who) not found")) }
            return .instance(lastID)
        }
        if status.state?.running != nil, let id = status.containerID.flatMap(runtimeID) {
            return .instance(id)
        }
        if let terminated = status.state?.terminated {
            if let id = terminated.containerID.flatMap(runtimeID) ?? status.containerID.flatMap(runtimeID) {
                return .instance(id)
            }
            if let lastID { return .instance(lastID) }
            return .notStarted(badRequest("\(who) is terminated"))
        }
        if lastTerminated != nil {
            guard let lastID else { return .notStarted(badRequest("\(who) is terminated")) }
            return .instance(lastID)
        }
        if let waiting = status.state?.waiting {
            switch waiting.reason ?? "" {
            case "ErrImagePull":
                return .notStarted(badRequest("\(who) is waiting to start: image can't be pulled"))
            case "ImagePullBackOff":
                return .notStarted(badRequest("\(who) is waiting to start: trying and failing to pull image"))
            case let reason:
                return .notStarted(badRequest("\(who) is waiting to start: \(reason)"))
            }
        }
        return .notStarted(badRequest("\(who) is waiting to start - no logs yet"))
    }

    private static func isInit(_ name: String, _ pod: Pod) -> Bool {
        (pod.spec.initContainers ?? []).contains { $0.name == name }
    }

    /// `containerd://abc` → `abc`; nil for an empty ID.
    static func runtimeID(_ id: String) -> String? {
        let bare = id.firstRange(of: "://").map { String(id[$0.upperBound...]) } ?? id
        return bare.isEmpty ? nil : bare
    }

    private static func badRequest(_ message: String) -> APIStatusError {
        APIStatusError(.badRequest(message))
    }
}
