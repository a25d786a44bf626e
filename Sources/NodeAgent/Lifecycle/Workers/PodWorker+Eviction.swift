import FoundationEssentials
import KubeTypes
import SystemSupport

#if canImport(Glibc)
    import Glibc
#endif

extension PodWorker {
    /// The disk-backed emptyDir volumes that carry a `sizeLimit` (tmpfs volumes are bounded by their mount size).
    var limitedEmptyDirs: [(name: String, limit: Quantity)] {
        (pod.spec.volumes ?? []).compactMap { volume in
            guard let emptyDir = volume.emptyDir, emptyDir.medium != "Memory", let limit = emptyDir.sizeLimit,
                  limit.value > 0 else { return nil }
            return (volume.name, limit)
        }
    }

    /// kubelet's local-storage eviction for emptyDir: once a volume's usage passes its `sizeLimit`, the pod is
    /// killed at once and fails with reason `Evicted` and kubelet's message. Measured at most every
    /// `evictionCheckPeriod`, so a large volume is not walked on every sync.
    func enforceEmptyDirLimits(_ view: PodRuntimeView) async throws -> Bool {
        let limited = limitedEmptyDirs
        guard !limited.isEmpty, let volumePaths else { return false }
        let now = ContinuousClock.now
        if let last = lastStorageCheck, now - last < configuration.evictionCheckPeriod { return false }
        lastStorageCheck = now
        for (name, limit) in limited {
            guard let path = volumePaths[name] else { continue }
            let used = Int64(clamping: DiskUsage.measure(path)?.bytes ?? 0)
            guard used > limit.value else { continue }
            let message = "Usage of EmptyDir volume \"\(name)\" exceeds the limit \"\(limit)\". "
            failure = ("Evicted", message)
            environment.events.record(pod, type: .warning, reason: "Evicted", message: message)
            logger.notice("evicting pod", metadata: ["volume": "\(name)", "usedBytes": "\(used)", "limit": "\(limit)"])
            try await killPodIfRunning(view, grace: 0)
            try await writeStatus(try await fetchView())
            return true
        }
        return false
    }
}
