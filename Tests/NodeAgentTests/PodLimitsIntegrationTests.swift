import CRI
import Foundation
import KubeTypes
import TestSupport
import Testing

@testable import NodeAgent

/// Memory limits and hostPath type checks on the real containerd.
@Suite("Limits and hostPath types on containerd")
struct PodLimitsIntegrationTests {
    @Test("a container over its memory limit is OOMKilled with exit code 137")
    func oomKilled() async throws {
        try await LifecycleBed.with("oom") { bed in
            // busybox tail keeps the whole "line" of /dev/zero (it has no newline) in memory.
            var hog = bed.shell("hog", "head -c 200m /dev/zero | tail")
            hog.resources = ResourceRequirements(limits: ["memory": try Quantity(parsing: "32Mi")])
            let pod = try await bed.submit(bed.makePod("oom", restartPolicy: .never, containers: [hog]))
            let failed = try await bed.waitFor(pod, timeout: .seconds(60), "Failed") { $0.status.phase == .failed }
            let terminated = try #require(failed.container("hog")?.state?.terminated)
            #expect(terminated.reason == "OOMKilled")
            #expect(terminated.exitCode == 137)
            try await bed.requestDeletion(failed, grace: 0)
            try await bed.waitGone(pod)
        }
    }

    @Test("hostPath types: the *OrCreate types create, the strict types refuse what is missing or of another kind")
    func hostPathTypes() async throws {
        try await LifecycleBed.with("hostpath") { bed in
            let base = bed.configuration.rootDirectory + "/hostpath-\(UUID().uuidString.prefix(6))"
            try FileManager.default.createDirectory(atPath: base + "/dir", withIntermediateDirectories: true)
            #expect(FileManager.default.createFile(atPath: base + "/file", contents: Data("present\n".utf8)))
            defer { try? FileManager.default.removeItem(atPath: base) }

            // Every type that should work, in one pod.
            var reader = bed.shell("app", "ls -d /a /b /c; cat /d; test -f /e && echo file-ok; test -S /f && echo socket-ok")
            let sources: [(String, String, String)] = [
                ("a", base + "/made-dir", "DirectoryOrCreate"), ("b", base + "/dir", "Directory"),
                ("c", base + "/dir", ""), ("d", base + "/file", "File"), ("e", base + "/made-file", "FileOrCreate"),
                ("f", bed.testRuntime.endpoint.replacingOccurrences(of: "unix://", with: ""), "Socket"),
            ]
            reader.volumeMounts = sources.map { VolumeMount(name: $0.0, mountPath: "/" + $0.0) }
            let volumes = sources.map { Volume(name: $0.0, hostPath: HostPathVolumeSource(path: $0.1, type: $0.2)) }
            let good = try await bed.submit(bed.makePod("good", restartPolicy: .never, containers: [reader], volumes: volumes))
            let done = try await bed.waitFor(good, "Succeeded") { $0.status.phase == .succeeded }
            #expect(bed.logContent(good, container: "app") == "/a\n/b\n/c\npresent\nfile-ok\nsocket-ok")
            var info = stat()
            #expect(stat(base + "/made-dir", &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR)
            #expect(stat(base + "/made-file", &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG)

            // A strict type that does not match: the pod stays Pending with kubelet's FailedMount message.
            var waiter = bed.shell("app", "true")
            waiter.volumeMounts = [VolumeMount(name: "x", mountPath: "/x")]
            let bad = try await bed.submit(bed.makePod("bad", containers: [waiter], volumes: [
                Volume(name: "x", hostPath: HostPathVolumeSource(path: base + "/file", type: "Directory")),
            ]))
            try await Task.sleep(for: .seconds(2))
            let pending = try #require(await bed.store.get(bad.objectKey))
            #expect(pending.status.phase == .pending)
            let failedMount = bed.events(bad).first { $0.reason == "FailedMount" }
            #expect(failedMount?.message?.contains("hostPath type check failed: \(base)/file is not a directory") == true,
                    "\(String(describing: failedMount?.message))")
            #expect(try await bed.runtimeSandboxes(bad).isEmpty)
            for pod in [done, pending] { try await bed.requestDeletion(pod, grace: 0) }
            try await bed.waitGone(good)
            try await bed.waitGone(bad)
        }
    }
}
