/// Quality-of-service class of a pod, computed as Kubernetes' `qos.ComputePodQOS` does from cpu and memory.
public enum PodQOS {
    /// `Guaranteed` when every container has cpu and memory limits and the summed requests equal the summed
    /// limits; `BestEffort` when no container requests or limits cpu or memory; otherwise `Burstable`.
    /// Pod-level `spec.resources`, when given, decide instead of the containers.
    public static func compute(_ spec: PodSpec) -> PodQOSClass {
        let compute: Set<String> = ["cpu", "memory"]
        var requests: [String: Quantity] = [:]
        var limits: [String: Quantity] = [:]
        var guaranteed = true
        func accumulate(_ list: ResourceList?, into total: inout [String: Quantity]) -> Set<String> {
            var found = Set<String>()
            for (name, q) in list ?? [:] where compute.contains(name) && q.sign > 0 {
                found.insert(name)
                total[name] = (total[name] ?? .zero) + q
            }
            return found
        }
        if let podLevel = spec.resources, !(podLevel.requests ?? [:]).isEmpty || !(podLevel.limits ?? [:]).isEmpty {
            _ = accumulate(podLevel.requests, into: &requests)
            if !accumulate(podLevel.limits, into: &limits).isSuperset(of: compute) { guaranteed = false }
        } else {
            for c in (spec.initContainers ?? []) + spec.containers {
                _ = accumulate(c.resources?.requests, into: &requests)
                if !accumulate(c.resources?.limits, into: &limits).isSuperset(of: compute) { guaranteed = false }
            }
        }
        if requests.isEmpty && limits.isEmpty { return .bestEffort }
        if guaranteed {
            for (name, request) in requests where limits[name] != request {
                guaranteed = false
            }
        }
        return guaranteed && requests.count == limits.count ? .guaranteed : .burstable
    }
}
