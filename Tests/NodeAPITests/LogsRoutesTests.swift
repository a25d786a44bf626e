import CRI
import Foundation
import KubeTypes
import NodeAPI
import NodeAgent
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `/containerLogs` and `/logs` on the real containerd, read with curl.
@Suite struct LogsRoutesTests {
    /// Two containers: `a` writes 200 numbered lines to each stream at once, `b` writes "early", then "late" 5 s
    /// later. Every query option and the error wordings, against the same pod.
    @Test func queryOptionsAndErrors() async throws {
        try await RuntimeNode.with("logs-options") { bed in
            let pod = try await bed.create("multi", containers: [
                bed.shell("a", "i=1; while [ $i -le 200 ]; do echo out-$i; echo err-$i >&2; i=$((i+1)); done; exec sleep 3600"),
                bed.shell("b", "echo early; sleep 5; echo late; exec sleep 3600"),
            ])
            let name = pod.metadata.name ?? ""
            try await bed.waitRunning(pod, "a")
            let full = try await bed.poll(bed.logsPath(pod, "a")) { $0.body.contains("out-200") && $0.body.contains("err-200") }
            #expect(full.status == 200)
            let lines = full.body.split(separator: "\n").map(String.init)
            #expect(lines.count == 400)
            #expect(lines.filter { $0.hasPrefix("out-") } == (1...200).map { "out-\($0)" })
            #expect(lines.filter { $0.hasPrefix("err-") } == (1...200).map { "err-\($0)" })
            // The short path serves the same bytes.
            #expect(try await bed.admin("GET", "/logs/default/\(name)/a").body == full.body)

            // stream split, tail, limit, timestamps.
            let stdout = try await bed.admin("GET", bed.logsPath(pod, "a", "stream=Stdout"))
            #expect(stdout.body == (1...200).map { "out-\($0)\n" }.joined())
            let stderrTail = try await bed.admin("GET", bed.logsPath(pod, "a", "stream=Stderr&tailLines=3"))
            #expect(stderrTail.body == "err-198\nerr-199\nerr-200\n")
            #expect(try await bed.admin("GET", bed.logsPath(pod, "a", "tailLines=0")).body == "")
            let limited = try await bed.admin("GET", bed.logsPath(pod, "a", "stream=Stdout&limitBytes=10"))
            #expect(limited.status == 200)
            #expect(limited.body == "out-1\nout-")
            let stamped = try await bed.admin("GET", bed.logsPath(pod, "a", "timestamps=true&stream=Stdout&tailLines=2"))
            let stampedLines = stamped.body.split(separator: "\n").map(String.init)
            #expect(stampedLines.count == 2)
            for (line, n) in zip(stampedLines, [199, 200]) {
                #expect(line.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z out-\d+/) != nil, "\(line)")
                #expect(line.hasSuffix(" out-\(n)"))
            }

            // since: b's two lines are 5 s apart.
            let late = try await bed.poll(bed.logsPath(pod, "b", "timestamps=true")) { $0.body.contains("late") }
            let recent = try await bed.admin("GET", bed.logsPath(pod, "b", "sinceSeconds=3"))
            #expect(recent.body == "late\n", "sinceSeconds=3 right after 'late' was written")
            #expect(try await bed.admin("GET", bed.logsPath(pod, "b", "sinceSeconds=3600")).body == "early\nlate\n")
            let stamps = late.body.split(separator: "\n").map { String($0.split(separator: " ")[0]) }
            #expect(stamps.count == 2)
            #expect(try await bed.admin("GET", bed.logsPath(pod, "b", "sinceTime=\(stamps[1])")).body == "late\n")
            #expect(try await bed.admin("GET", bed.logsPath(pod, "b", "sinceTime=\(stamps[0])")).body == "early\nlate\n")

            // Which container: several and none named, an unknown one, an unknown pod.
            let ambiguous = try await bed.admin("GET", bed.logsPath(pod, nil))
            #expect(ambiguous.status == 400)
            #expect(statusMessage(ambiguous.body) == "a container name must be specified for pod \(name), choose one of: [a b]")
            let unknown = try await bed.admin("GET", bed.logsPath(pod, "nope"))
            #expect(unknown.status == 404)
            #expect(statusMessage(unknown.body) == "container \"nope\" not found in pod \"\(name)\"")
            let noPod = try await bed.admin("GET", "/containerLogs/default/no-such-pod/a")
            #expect(noPod.status == 404)
            #expect(statusMessage(noPod.body) == "pods \"no-such-pod\" not found")
            let noPrevious = try await bed.admin("GET", bed.logsPath(pod, "a", "previous=true"))
            #expect(noPrevious.status == 400)
            #expect(statusMessage(noPrevious.body) == "previous terminated container \"a\" in pod \"\(name)\" not found")

            // Bad values name their parameter.
            for (query, parameter) in [("tailLines=-1", "tailLines"), ("tailLines=x", "tailLines"), ("stream=Both", "stream"),
                                       ("follow=maybe", "follow"), ("limitBytes=0", "limitBytes"),
                                       ("sinceSeconds=0", "sinceSeconds"), ("sinceTime=yesterday", "sinceTime"),
                                       ("previous=2", "previous"), ("timestamps=yes", "timestamps")] {
                let reply = try await bed.admin("GET", bed.logsPath(pod, "a", query))
                #expect(reply.status == 400, "\(query)")
                #expect(statusMessage(reply.body)?.contains(parameter) == true, "\(query): \(reply.body)")
            }
            let both = try await bed.admin("GET", bed.logsPath(pod, "a", "sinceSeconds=5&sinceTime=\(stamps[0])"))
            #expect(both.status == 400)
            #expect(statusMessage(both.body) == "at most one of sinceTime or sinceSeconds may be specified")
        }
    }

    /// A container behind a running init container has not started: 400 with the API server's words.
    @Test func waitingContainer() async throws {
        try await RuntimeNode.with("logs-waiting") { bed in
            let pod = try await bed.create("init", containers: [bed.shell("app", "echo hi; exec sleep 3600")],
                                           initContainers: [bed.shell("setup", "exec sleep 3600")])
            try await bed.waitFor(pod, "init container running") { p in
                p.status.initContainerStatuses?.first?.state?.running != nil
            }
            let reply = try await bed.admin("GET", bed.logsPath(pod, "app"))
            #expect(reply.status == 400)
            #expect(statusMessage(reply.body) == "container \"app\" in pod \"\(pod.metadata.name ?? "")\" is waiting to start: PodInitializing")
            #expect(reply.body.contains("\"reason\":\"BadRequest\""))
            // The running init container's log is readable by name.
            try await bed.poll(bed.logsPath(pod, "setup")) { $0.status == 200 }
        }
    }

    /// After a restart, `previous` reads the terminated instance and the plain request the new one; the pod's only
    /// container needs no name.
    @Test func previousAfterRestart() async throws {
        try await RuntimeNode.with("logs-previous") { bed in
            var container = bed.shell("app", "if [ -f /data/ran ]; then echo second; exec sleep 3600; else touch /data/ran; echo first; exit 1; fi")
            container.volumeMounts = [VolumeMount(name: "data", mountPath: "/data")]
            let pod = try await bed.create("restart", containers: [container],
                                           volumes: [Volume(name: "data", emptyDir: EmptyDirVolumeSource())])
            try await bed.waitFor(pod, "second instance running") { p in
                guard let status = p.status.containerStatuses?.first else { return false }
                return status.restartCount >= 1 && status.state?.running != nil && status.lastState?.terminated != nil
            }
            let current = try await bed.poll(bed.logsPath(pod, nil)) { $0.body == "second\n" }
            #expect(current.status == 200)
            let previous = try await bed.admin("GET", bed.logsPath(pod, "app", "previous=true"))
            #expect(previous.status == 200)
            #expect(previous.body == "first\n")
            let previousFollow = try await bed.admin("GET", bed.logsPath(pod, "app", "previous=true&follow=true"))
            #expect(previousFollow.body == "first\n", "following a terminated instance ends after its log")
        }
    }

    /// `follow` streams while the rotation driver renames the file and CRI reopens it, and ends by itself once
    /// the container has exited and the log is drained: every line exactly once, in order.
    @Test func followAcrossRotationEndsWhenTheContainerExits() async throws {
        try await RuntimeNode.with("logs-follow") { bed in
            let pod = try await bed.create("writer", restartPolicy: .never, containers: [
                bed.shell("w", "i=1; while [ $i -le 200 ]; do echo line-$i; i=$((i+1)); usleep 30000; done"),
            ])
            try await bed.waitRunning(pod, "w")
            let path = bed.logsPath(pod, "w", "follow=true")
            let follower = Task { try await bed.admin("GET", path, extra: ["--no-buffer"]) }
            // Small files and room for all of them: every rotation keeps its lines (nothing pruned).
            let manager = try ContainerLogManager(runtime: bed.client, maxSize: 1000, maxFiles: 24,
                                                  labelSelector: bed.scope.labels, logger: RuntimeNode.logger)
            var rotations = 0
            var exitedAt: ContinuousClock.Instant?
            let deadline = ContinuousClock.now + .seconds(60)
            // Rotate only once the follower holds the file: under the full suite curl has taken longer than the
            // fixed 300 ms this used to wait, met the file renamed away mid-rotation, and got 404.
            let followed = try await RuntimeContainerLocator(pods: bed.pods, runtime: bed.client)
                .locate(namespace: "default", pod: pod.metadata.name ?? "", container: "w", previous: false)
            let opened = ContinuousClock.now + .seconds(10)
            while openDescriptors(of: followed.logPath) == 0 && ContinuousClock.now < opened {
                try await Task.sleep(for: .milliseconds(20))
            }
            while ContinuousClock.now < deadline {
                for outcome in await manager.passNow() {
                    if case .rotated = outcome { rotations += 1 }
                }
                if let stored = await bed.store.get(ObjectKey(namespace: "default", name: pod.metadata.name ?? "")),
                   stored.status.containerStatuses?.first?.state?.terminated != nil {
                    exitedAt = ContinuousClock.now
                    break
                }
                try await Task.sleep(for: .milliseconds(250))
            }
            let reply = try await follower.value
            let ended = ContinuousClock.now
            #expect(rotations >= 2, "the log was rotated while followed")
            #expect(reply.status == 200)
            #expect(reply.curlExit == 0, "the follow ended by itself")
            #expect(reply.body == (1...200).map { "line-\($0)\n" }.joined())
            let exited = try #require(exitedAt)
            #expect(ended - exited < .seconds(10), "the follow ended soon after the container exited")
            // Afterwards the same lines come back from the rotated files, the older ones gzipped by the rotator.
            let target = try await RuntimeContainerLocator(pods: bed.pods, runtime: bed.client)
                .locate(namespace: "default", pod: pod.metadata.name ?? "", container: "w", previous: false)
            let directory = (target.logPath as NSString).deletingLastPathComponent
            let files = try FileManager.default.contentsOfDirectory(atPath: directory)
            #expect(files.contains { $0.hasSuffix(".gz") }, "\(files)")
            let reread = try await bed.admin("GET", bed.logsPath(pod, "w"))
            #expect(reread.body == (1...200).map { "line-\($0)\n" }.joined())
            let tail = try await bed.admin("GET", bed.logsPath(pod, "w", "tailLines=150"))
            #expect(tail.body == (51...200).map { "line-\($0)\n" }.joined())
        }
    }

    /// A follower whose client leaves (curl's --max-time) closes its file: no descriptor of this process points at
    /// the log file afterwards.
    @Test func clientDisconnectReleasesTheFile() async throws {
        try await RuntimeNode.with("logs-disconnect") { bed in
            let pod = try await bed.create("quiet", containers: [bed.shell("app", "echo hello; exec sleep 3600")])
            try await bed.waitRunning(pod, "app")
            try await bed.poll(bed.logsPath(pod, "app")) { $0.body == "hello\n" }
            let target = try await RuntimeContainerLocator(pods: bed.pods, runtime: bed.client)
                .locate(namespace: "default", pod: pod.metadata.name ?? "", container: "app", previous: false)
            let path = bed.logsPath(pod, "app", "follow=true")
            let follower = Task { try await bed.admin("GET", path, extra: ["--no-buffer", "--max-time", "6"]) }
            // Under the full suite curl's start and TLS handshake have taken over a second: wait for the follower.
            let opened = ContinuousClock.now + .seconds(5)
            while openDescriptors(of: target.logPath) == 0 && ContinuousClock.now < opened {
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(openDescriptors(of: target.logPath) >= 1, "the follower holds the log open while it runs")
            let reply = try await follower.value
            #expect(reply.curlExit == 28, "curl gave up (timeout), the server did not end the follow")
            #expect(reply.body.hasPrefix("hello\n"))
            let deadline = ContinuousClock.now + .seconds(3)
            while openDescriptors(of: target.logPath) > 0 && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(openDescriptors(of: target.logPath) == 0, "the log file was closed after the client left")
        }
    }

    /// `tailLines` on a ~70 MB log reads from the end: far faster than reading the whole log.
    @Test func tailOfALargeLogReadsFromTheEnd() async throws {
        try await RuntimeNode.with("logs-tail") { bed in
            let line = String(repeating: "0123456789", count: 9) + "01234567"  // 98 characters + newline
            let pod = try await bed.create("big", containers: [
                bed.shell("big", "yes \(line) | head -n 500000; echo DONE; exec sleep 3600"),
            ])
            try await bed.waitRunning(pod, "big")
            try await bed.poll(bed.logsPath(pod, "big", "tailLines=1"), timeout: .seconds(120)) { $0.body == "DONE\n" }
            let full = try await bed.node.timedDownload(bed.logsPath(pod, "big"))
            let tail = try await bed.node.timedDownload(bed.logsPath(pod, "big", "tailLines=10"))
            #expect(full.status == 200 && tail.status == 200)
            #expect(full.bytes == 500_000 * 99 + 5)
            #expect(tail.bytes == 9 * 99 + 5)
            #expect(tail.seconds * 5 < full.seconds, "tail \(tail.seconds) s vs full read \(full.seconds) s")
        }
    }
}

/// How many of this process's descriptors are open on `path`.
func openDescriptors(of path: String) -> Int {
    guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") else { return 0 }
    return entries.filter { entry in
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(entry)")) == path
    }.count
}

extension TestNode {
    /// GETs `path` as the admin with curl writing the body to /dev/null: status, bytes and curl's total time.
    func timedDownload(_ path: String) async throws -> (status: Int, bytes: Int, seconds: Double) {
        let arguments = ["-s", "-o", "/dev/null", "-w", "%{http_code} %{size_download} %{time_total}", "--max-time", "120",
                         "--cacert", pki.caCertificate, "-H", "Authorization: Bearer token-admin",
                         "https://127.0.0.1:\(port)\(path)"]
        return try await offPool {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
            process.arguments = arguments
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            let fields = String(decoding: data, as: UTF8.self).split(separator: " ")
            guard fields.count == 3, let status = Int(fields[0]), let bytes = Int(fields[1]), let seconds = Double(fields[2]) else {
                throw FixtureError(message: "unexpected curl output \(String(decoding: data, as: UTF8.self))")
            }
            return (status, bytes, seconds)
        }
    }
}
