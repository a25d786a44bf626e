import KubeTypes

/// Turns one manifest file into the pod that kubelet's file source would run for it.
///
/// As kubelet does: the name gets the node name as a suffix (`web` on node `n1` is `web-n1`), the namespace
/// defaults to `default`, `spec.nodeName` is the node, and the uid is derived from the file's path and content,
/// so an unchanged file always yields the same pod while any edit yields a new one (which replaces the old).
enum StaticPodManifest {
    /// Why a manifest was not turned into a pod; logged with the file name.
    struct Problem: Error, CustomStringConvertible {
        var description: String
    }

    static func pod(from bytes: [UInt8], path: String, nodeName: String) throws -> Pod {
        var pod: Pod
        do {
            pod = try KubeDocument.decode(Pod.self, from: bytes, contentType: nil)
        } catch {
            throw Problem(description: "\(error)")
        }
        if let kind = pod.kind, kind != "Pod" { throw Problem(description: "the document is a \(kind), not a Pod") }
        if let version = pod.apiVersion, version != "v1" { throw Problem(description: "apiVersion \(version) is not served; use v1") }
        guard let name = pod.metadata.name, !name.isEmpty else {
            throw Problem(description: "metadata.name is required in a static pod manifest (generateName is not supported)")
        }
        if pod.metadata.annotations?[StaticPodAnnotations.source] != nil {
            pod.metadata.annotations?[StaticPodAnnotations.source] = nil
        }
        let uid = StableDigest.hex(of: Array(path.utf8) + [0] + Array(nodeName.utf8) + [0] + bytes)
        pod.metadata.name = "\(name)-\(nodeName)"
        if (pod.metadata.namespace ?? "").isEmpty { pod.metadata.namespace = "default" }
        pod.metadata.uid = uid
        pod.metadata.resourceVersion = nil
        pod.metadata.creationTimestamp = nil
        pod.metadata.deletionTimestamp = nil
        pod.metadata.deletionGracePeriodSeconds = nil
        var annotations = pod.metadata.annotations ?? [:]
        annotations[StaticPodAnnotations.source] = "file"
        annotations[StaticPodAnnotations.hash] = uid
        annotations[StaticPodAnnotations.manifest] = path
        pod.metadata.annotations = annotations
        pod.spec.nodeName = nodeName
        pod.status = PodStatus()
        // Validated here, not only when stored, so that an invalid edit is known before the running pod is replaced.
        var defaulted = pod
        PodDefaulting.apply(to: &defaulted, now: Time.now(), uid: uid)
        let problems = PodValidation.validate(defaulted)
        if !problems.isEmpty {
            throw Problem(description: "Pod \"\(pod.metadata.name ?? "")\" is invalid: " + problems.map { "\($0)" }.joined(separator: ", "))
        }
        return pod
    }
}

/// A 128-bit digest as 32 hex digits: two FNV-1a passes with different offsets. It only has to tell manifests
/// apart on one node, not resist an attacker, so no cryptographic library is pulled in for it.
enum StableDigest {
    static func hex(of bytes: [UInt8]) -> String {
        func fnv1a(_ offset: UInt64) -> UInt64 {
            var hash = offset
            for byte in bytes {
                hash ^= UInt64(byte)
                hash &*= 0x100_0000_01b3
            }
            return hash
        }
        let high = fnv1a(0xcbf2_9ce4_8422_2325)
        let low = fnv1a(0x6c62_272e_07bb_0142)
        return hex16(high) + hex16(low)
    }

    private static func hex16(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
