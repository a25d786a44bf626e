import CRI
import Foundation
import KubeTypes
import TestSupport
import Testing

@testable import NodeAgent

/// What a pod sees of the node, on the real containerd: its managed /etc/hosts, fsGroup on its volumes, hostPort
/// forwarding, and privileged / CAP_SYS_ADMIN containers.
@Suite("Pod and node on containerd")
struct PodNodeIntegrationTests {
    @Test("/etc/hosts names the pod and its hostAliases; fsGroup owns the volumes and new files")
    func hostsFileAndFSGroup() async throws {
        try await LifecycleBed.with("hosts") { bed in
            var container = bed.shell("app", """
                cat /etc/hosts; echo ---; id -G | tr ' ' '\\n' | grep -x 2000; stat -c %g /data; \
                touch /data/made; stat -c %g /data/made
                """)
            container.securityContext = SecurityContext(runAsUser: 1000)
            var pod = bed.makePod("hosts", restartPolicy: .never, containers: [container],
                                  volumes: [Volume(name: "data", emptyDir: EmptyDirVolumeSource())]).withMount("data", at: "/data")
            pod.spec.hostAliases = [HostAlias(ip: "10.9.8.7", hostnames: ["db.internal", "db"])]
            pod.spec.securityContext = PodSecurityContext(fsGroup: 2000)
            let submitted = try await bed.submit(pod)
            let done = try await bed.waitFor(submitted, "Succeeded") { $0.status.phase == .succeeded }
            let podIP = try #require(done.status.podIP)
            let output = bed.logContent(submitted, container: "app")
            let parts = output.components(separatedBy: "---\n")
            let hosts = parts.first ?? ""
            #expect(hosts.hasPrefix("# Kubernetes-managed hosts file."), "\(output)")
            #expect(hosts.contains("\(podIP)\t\(submitted.metadata.name ?? "")"), "\(output)")
            #expect(hosts.contains("10.9.8.7\tdb.internal\tdb"), "\(output)")
            #expect(parts.last == "2000\n2000\n2000", "groups, volume group, new file's group: \(output)")
            try await bed.requestDeletion(done, grace: 0)
            try await bed.waitGone(submitted)
        }
    }

    @Test("a hostPort reaches the container through the CNI portmap")
    func hostPortForwarding() async throws {
        try await LifecycleBed.with("hostport") { bed in
            let hostPort = Int32.random(in: 30000...32000)
            var container = bed.shell("web", "mkdir -p /w && echo hello-from-pod > /w/index.html && exec httpd -f -p 8080 -h /w")
            container.ports = [ContainerPort(name: "http", hostPort: hostPort, containerPort: 8080)]
            let pod = try await bed.submit(bed.makePod("hostport", containers: [container]))
            let running = try await bed.waitFor(pod, "Running") { $0.status.phase == .running }
            #expect(running.status.podIP != nil)
            let address = Self.nodeAddress()
            var body = ""
            let deadline = ContinuousClock.now + .seconds(20)
            while ContinuousClock.now < deadline {
                body = try await offPoolCurl(["-s", "--max-time", "3", "http://\(address):\(hostPort)/index.html"])
                if body.contains("hello-from-pod") { break }
                try await Task.sleep(for: .milliseconds(300))
            }
            #expect(body.contains("hello-from-pod"), "nothing answered on \(address):\(hostPort)")
            try await bed.requestDeletion(running, grace: 0)
            try await bed.waitGone(pod)
        }
    }

    @Test("a privileged container can mount; CAP_SYS_ADMIN added alone shows in CapEff")
    func privilegedAndSysAdmin() async throws {
        try await LifecycleBed.with("priv") { bed in
            var privileged = bed.shell("priv", "mkdir -p /m && mount -t tmpfs t /m && echo mounted; grep CapEff /proc/self/status | tr -d '\\t'")
            privileged.securityContext = SecurityContext(privileged: true)
            var admin = bed.shell("admin", "grep CapEff /proc/self/status | tr -d '\\t'")
            admin.securityContext = SecurityContext(capabilities: Capabilities(add: ["SYS_ADMIN"]))
            var plain = bed.shell("plain", "mkdir -p /m; mount -t tmpfs t /m 2>/dev/null && echo mounted || echo refused; grep CapEff /proc/self/status | tr -d '\\t'")
            plain.securityContext = SecurityContext()
            let pod = try await bed.submit(bed.makePod("priv", restartPolicy: .never, containers: [privileged, admin, plain]))
            let done = try await bed.waitFor(pod, "Succeeded") { $0.status.phase == .succeeded }
            let privilegedLines = bed.logContent(pod, container: "priv").split(separator: "\n").map(String.init)
            #expect(privilegedLines.first == "mounted", "\(privilegedLines)")
            let privilegedCaps = try #require(Self.capabilities(privilegedLines.last))
            #expect(privilegedCaps & (1 << 21) != 0)
            let adminCaps = try #require(Self.capabilities(bed.logContent(pod, container: "admin")))
            #expect(adminCaps & (1 << 21) != 0, "CAP_SYS_ADMIN missing")
            let plainLines = bed.logContent(pod, container: "plain").split(separator: "\n").map(String.init)
            #expect(plainLines.first == "refused")
            let plainCaps = try #require(Self.capabilities(plainLines.last))
            #expect(plainCaps & (1 << 21) == 0)
            try await bed.requestDeletion(done, grace: 0)
            try await bed.waitGone(pod)
        }
    }

    @Test("an emptyDir over its sizeLimit evicts the pod with kubelet's reason and message")
    func emptyDirSizeLimitEviction() async throws {
        try await LifecycleBed.with("evict") { bed in
            let writer = bed.shell("app", "dd if=/dev/zero of=/data/fill bs=1024 count=3072 2>/dev/null; exec sleep 300")
            let withinLimit = bed.shell("app", "dd if=/dev/zero of=/data/fill bs=1024 count=256 2>/dev/null; exec sleep 300")
            let volume = Volume(name: "data", emptyDir: EmptyDirVolumeSource(sizeLimit: try Quantity(parsing: "1Mi")))
            let greedy = try await bed.submit(bed.makePod("greedy", containers: [writer], volumes: [volume]).withMount("data", at: "/data"))
            let modest = try await bed.submit(bed.makePod("modest", containers: [withinLimit], volumes: [volume]).withMount("data", at: "/data"))
            let evicted = try await bed.waitFor(greedy, timeout: .seconds(45), "Evicted") { $0.status.phase == .failed }
            #expect(evicted.status.reason == "Evicted")
            #expect(evicted.status.message == "Usage of EmptyDir volume \"data\" exceeds the limit \"1Mi\". ")
            #expect(bed.events(greedy).contains { $0.reason == "Evicted" && $0.type == "Warning" })
            #expect(try await bed.runtimeContainers(greedy).allSatisfy { $0.state != .containerRunning })
            // The pod within its limit keeps running through several checks.
            try await Task.sleep(for: .seconds(3))
            let fine = try #require(await bed.store.get(modest.objectKey))
            #expect(fine.status.phase == .running)
            for pod in [evicted, fine] { try await bed.requestDeletion(pod, grace: 0) }
            try await bed.waitGone(greedy)
            try await bed.waitGone(modest)
        }
    }

    @Test("every pod worker sync is reported with kubelet's operation types")
    func syncDurationsAreObserved() async throws {
        let observer = RecordingSyncObserver()
        try await LifecycleBed.with("syncobs", syncObserver: observer) { bed in
            let pod = try await bed.submit(bed.makePod("obs", containers: [bed.shell("app", "trap 'exit 0' TERM; while true; do sleep 0.1; done")]))
            let running = try await bed.waitFor(pod, "Running") { $0.status.phase == .running }
            try await bed.requestDeletion(running, grace: 5)
            try await bed.waitGone(pod)
        }
        let seen = observer.operations
        #expect(seen.first == .create, "\(seen)")
        #expect(seen.filter { $0 == .create }.count == 1)
        // Relist-driven `sync` reports depend on timing (a pod may reach Running within its first sync), so only the
        // first and the terminating syncs are certain.
        #expect(seen.contains(.kill))
        #expect(observer.durations.allSatisfy { $0 > .zero && $0 < .seconds(30) })
    }

    @Test("a sync after a relist reads the relist's listing; a container stopped behind the worker's back is restarted")
    func syncsReuseTheRelistListing() async throws {
        let observer = RecordingSyncObserver()
        // Relists and resyncs only when the test asks: the loop's one relist runs at start, before the pod exists.
        try await LifecycleBed.with(
            "listing", syncObserver: observer, relistPeriod: .seconds(3600), resyncPeriod: .seconds(3600),
            wrapRuntime: { ListingSpyRuntime($0) }
        ) { bed in
            let spy = try #require(bed.runtime as? ListingSpyRuntime)
            let pod = try await bed.submit(bed.makePod("quiet", containers: [bed.shell("app", "exec sleep 300")]))
            _ = try await bed.waitFor(pod, "Running") { $0.status.phase == .running }
            try await Self.waitQuiet(observer)

            // The relist sees the pod's objects for the first time and wakes its worker, whose sync must read the
            // listing instead of listing the pod's objects itself.
            let listsBefore = spy.perPodListCalls
            let syncsBefore = observer.operations.count
            await bed.manager.relistOnce()
            try await Self.waitUntil("a sync after the relist") { observer.operations.count > syncsBefore }
            #expect(spy.perPodListCalls == listsBefore, "per-pod list calls: \(spy.perPodListCalls - listsBefore)")

            // A change the worker did not make reaches it through the relist and its listing.
            let container = try #require(try await bed.runtimeContainers(pod).first { $0.state == .containerRunning })
            try await bed.client.stopContainer(id: container.id, timeout: 0)
            await bed.manager.relistOnce()
            let restarted = try await bed.waitFor(pod, timeout: .seconds(20), "restart") {
                ($0.container("app")?.restartCount ?? 0) >= 1 && $0.container("app")?.state?.running != nil
            }
            #expect(restarted.container("app")?.lastState?.terminated != nil)
            try await bed.requestDeletion(restarted, grace: 0)
            try await bed.waitGone(pod)
        }
    }

    /// Polls `condition` every 20 ms for up to 10 s.
    static func waitUntil(_ what: String, _ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while !condition() {
            guard ContinuousClock.now < deadline else { throw LifecycleTestError(message: "timed out waiting for \(what)") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Waits until no sync has finished for 500 ms (at most 10 s), so that a count taken next is not moved by a
    /// sync already under way.
    static func waitQuiet(_ observer: RecordingSyncObserver) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        var count = observer.operations.count
        while ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(500))
            let now = observer.operations.count
            if now == count { return }
            count = now
        }
        throw LifecycleTestError(message: "pod syncs did not settle")
    }

    /// The CapEff bit mask from a `CapEff:<hex>` line.
    static func capabilities(_ line: String?) -> UInt64? {
        guard let line, let hex = line.split(separator: ":").last else { return nil }
        return UInt64(hex.trimmingCharacters(in: .whitespacesAndNewlines), radix: 16)
    }

    /// The node's first global IPv4 address (hostPorts are published on the node's addresses), else loopback.
    static func nodeAddress() -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/ip")
        process.arguments = ["-4", "-o", "addr", "show", "scope", "global"]
        let pipe = Pipe()
        process.standardOutput = pipe
        guard (try? process.run()) != nil else { return "127.0.0.1" }
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            // Skip the pod bridges the test containerds create.
            guard fields.count > 3, !fields[1].hasPrefix("swiftlet"), !fields[1].hasPrefix("cni") else { continue }
            if let address = fields[3].split(separator: "/").first { return String(address) }
        }
        return "127.0.0.1"
    }
}

/// curl, run off the cooperative pool; returns stdout (empty when nothing answered).
func offPoolCurl(_ arguments: [String]) async throws -> String {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
            process.arguments = arguments
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = FileHandle.nullDevice
            do {
                try process.run()
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                continuation.resume(returning: String(decoding: data, as: UTF8.self))
            } catch {
                continuation.resume(throwing: error)
            }
        }
    }
}

/// Keeps every sync report.
final class RecordingSyncObserver: PodSyncObserver, @unchecked Sendable {
    private let lock = NSLock()
    private var records: [(PodSyncOperation, Duration)] = []

    func podSyncFinished(_ operation: PodSyncOperation, duration: Duration) {
        lock.withLock { records.append((operation, duration)) }
    }

    var operations: [PodSyncOperation] { lock.withLock { records.map(\.0) } }
    var durations: [Duration] { lock.withLock { records.map(\.1) } }
}
