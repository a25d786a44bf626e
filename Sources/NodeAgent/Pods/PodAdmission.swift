import KubeTypes

/// Decides whether a new pod fits on this node, as kubelet's admission does before it runs a pod.
///
/// The pod's effective request follows Kubernetes: the larger of (the sum of app and sidecar containers) and
/// (the largest regular init container plus the sidecars started before it), for CPU and memory separately.
/// Pods that have finished (Succeeded or Failed) no longer hold resources.
public struct PodAdmission: Sendable {
    /// The node's allocatable resources.
    public var resources: NodeResources

    /// Creates admission for a node with `resources`.
    public init(resources: NodeResources) {
        self.resources = resources
    }

    /// Nil when `pod` fits next to `admitted`, otherwise the Status to refuse it with (403 Forbidden).
    public func refusal(for pod: Pod, admitted: [Pod]) -> Status? {
        let active = admitted.filter { !Self.isFinished($0) }
        let name = pod.metadata.name ?? ""
        if active.count + 1 > resources.maxPods {
            return Status.forbidden(
                resource: "pods", name: name,
                reason: "OutOfpods: node has reached its pod limit of \(resources.maxPods)")
        }
        let request = Self.effectiveRequest(of: pod)
        let used = active.reduce((cpu: Int64(0), memory: Int64(0))) { sum, other in
            let r = Self.effectiveRequest(of: other)
            return (sum.cpu + r.cpu, sum.memory + r.memory)
        }
        if request.cpu > 0 && used.cpu + request.cpu > resources.cpuMillis {
            return Status.forbidden(
                resource: "pods", name: name,
                reason: "OutOfcpu: node didn't have enough resource: cpu, requested: \(request.cpu), used: \(used.cpu), capacity: \(resources.cpuMillis)")
        }
        if request.memory > 0 && used.memory + request.memory > resources.memoryBytes {
            return Status.forbidden(
                resource: "pods", name: name,
                reason: "OutOfmemory: node didn't have enough resource: memory, requested: \(request.memory), used: \(used.memory), capacity: \(resources.memoryBytes)")
        }
        return nil
    }

    /// The pod's CPU (millicores) and memory (bytes) requests as the scheduler counts them.
    public static func effectiveRequest(of pod: Pod) -> (cpu: Int64, memory: Int64) {
        func requests(_ container: Container) -> (cpu: Int64, memory: Int64) {
            let values = container.resources?.requests ?? [:]
            return (values["cpu"]?.milliValue ?? 0, values["memory"]?.value ?? 0)
        }
        var appCPU: Int64 = 0, appMemory: Int64 = 0
        for container in pod.spec.containers {
            let r = requests(container)
            appCPU += r.cpu
            appMemory += r.memory
        }
        var sidecarCPU: Int64 = 0, sidecarMemory: Int64 = 0
        var initCPU: Int64 = 0, initMemory: Int64 = 0
        for container in pod.spec.initContainers ?? [] {
            let r = requests(container)
            if container.restartPolicy == "Always" {
                sidecarCPU += r.cpu
                sidecarMemory += r.memory
            } else {
                initCPU = max(initCPU, sidecarCPU + r.cpu)
                initMemory = max(initMemory, sidecarMemory + r.memory)
            }
        }
        return (max(appCPU + sidecarCPU, initCPU), max(appMemory + sidecarMemory, initMemory))
    }

    static func isFinished(_ pod: Pod) -> Bool {
        pod.status.phase == "Succeeded" || pod.status.phase == "Failed"
    }
}
