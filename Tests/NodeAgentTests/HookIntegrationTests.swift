import CRI
import Foundation
import KubeTypes
import TestSupport
import Testing

@testable import NodeAgent

/// postStart and preStop hooks against the real containerd.
@Suite("Lifecycle hooks on containerd")
struct HookIntegrationTests {
    @Test("postStart: its marker exists before the container is reported Running")
    func postStartBeforeRunning() async throws {
        try await LifecycleBed.withSlot("poststart") { bed in
            let hook = LifecycleHandler(exec: ExecAction(command: ["sh", "-c", "sleep 1.5; echo done > /data/poststart"]))
            let pod = try await bed.submit(bed.makePod("poststart", containers: [bed.probed(
                "app", "exec sleep 600", lifecycle: Lifecycle(postStart: hook))],
                volumes: [Volume(name: "data", emptyDir: EmptyDirVolumeSource())]).withMount("data", at: "/data"))
            let marker = bed.emptyDir(pod, "data") + "/poststart"
            var sawRunning = false
            let deadline = ContinuousClock.now + .seconds(30)
            while ContinuousClock.now < deadline {
                if let current = await bed.store.get(pod.objectKey), current.container("app")?.state?.running != nil {
                    sawRunning = true
                    // The first status that says Running comes after the hook wrote its marker.
                    #expect((try? String(contentsOfFile: marker, encoding: .utf8)) == "done\n")
                    break
                }
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(sawRunning)
        }
    }

    @Test("a failed postStart kills the container with FailedPostStartHook and the restart policy restarts it")
    func postStartFailureRestarts() async throws {
        try await LifecycleBed.withSlot("postfail") { bed in
            var pod = bed.makePod("postfail", containers: [bed.probed(
                "app", "trap 'exit 0' TERM; while true; do sleep 0.1; done",
                lifecycle: Lifecycle(postStart: LifecycleHandler(exec: ExecAction(command: ["sh", "-c", "echo nope; exit 3"]))))])
            pod.spec.terminationGracePeriodSeconds = 5
            pod = try await bed.submit(pod)
            let event = try await bed.waitForEvent(pod, reason: "FailedPostStartHook")
            #expect(event.message?.contains("exited with 3") == true, "\(event.message ?? "")")
            #expect(event.message?.contains("for Container \"app\"") == true)
            try await bed.waitForEvent(pod, reason: "Killing", containing: "FailedPostStartHook")
            let restarted = try await bed.waitFor(pod, "a restart") { ($0.container("app")?.restartCount ?? 0) >= 1 }
            #expect(restarted.container("app")?.ready == false)
        }
    }

    @Test("preStop runs before SIGTERM on delete (marker on a hostPath)")
    func preStopBeforeTerm() async throws {
        try await LifecycleBed.withSlot("prestop") { bed in
            let marks = bed.configuration.rootDirectory + "/marks-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: marks, withIntermediateDirectories: true)
            let hook = LifecycleHandler(exec: ExecAction(command: ["sh", "-c", "echo prestop >> /marks/log; sleep 1"]))
            var pod = bed.makePod("prestop", containers: [bed.probed(
                "app", "trap 'echo term >> /marks/log; exit 0' TERM; while true; do sleep 0.1; done",
                lifecycle: Lifecycle(preStop: hook))],
                volumes: [Volume(name: "marks", hostPath: HostPathVolumeSource(path: marks, type: "Directory"))])
            pod = pod.withMount("marks", at: "/marks")
            pod = try await bed.submit(pod)
            try await bed.waitFor(pod, "Running") { $0.status.phase == .running }
            try await bed.requestDeletion(pod, grace: 10)
            try await bed.waitGone(pod)
            let log = (try? String(contentsOfFile: marks + "/log", encoding: .utf8)) ?? ""
            #expect(log == "prestop\nterm\n")
            #expect(bed.events(pod).contains { $0.reason == "Killing" && $0.message == "Stopping container app" })
        }
    }

    @Test("preStop time comes out of the grace period StopContainer gets")
    func preStopTimeFromGrace() async throws {
        try await LifecycleBed.withSlot("prestopgrace") { bed in
            let marks = bed.configuration.rootDirectory + "/marks-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: marks, withIntermediateDirectories: true)
            // sh as PID 1 ignores SIGTERM: StopContainer waits out whatever grace is left after the 2 s hook. The
            // container touches `alive` until it dies; the hook touches `hook` when it starts.
            let hook = LifecycleHandler(exec: ExecAction(command: ["sh", "-c", "touch /marks/hook; sleep 2"]))
            var pod = bed.makePod("grace", containers: [bed.probed(
                "app", "while true; do touch /marks/alive; sleep 0.1; done", lifecycle: Lifecycle(preStop: hook))],
                volumes: [Volume(name: "marks", hostPath: HostPathVolumeSource(path: marks, type: "Directory"))])
            pod = try await bed.submit(pod.withMount("marks", at: "/marks"))
            try await bed.waitFor(pod, "Running") { $0.status.phase == .running }
            let requested = Date()
            try await bed.requestDeletion(pod, grace: 4)
            try await bed.waitGone(pod)
            let hookStarted = try Self.modificationTime(marks + "/hook")
            let died = try Self.modificationTime(marks + "/alive")
            // Measured from the deletion request, not from the hook's first command: how long an exec takes to
            // start varies by a second on a loaded machine, and that time is grace spent too. 4 s of grace in all,
            // the hook's 2 s included; 6 s or more would mean the hook's time was added to it.
            let lived = died.timeIntervalSince(requested)
            #expect(hookStarted >= requested, "the hook ran before the deletion was requested")
            #expect(lived > 3.5, "the container died \(lived) s after the deletion request: the grace was cut short")
            #expect(lived < 5.8, "the container lived \(lived) s after the deletion request: the hook's time was added")
        }
    }

    static func modificationTime(_ path: String) throws -> Date {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return try #require(attributes[.modificationDate] as? Date, "no mtime for \(path)")
    }

    @Test("preStop httpGet reaches the container before it stops")
    func preStopHTTP() async throws {
        try await LifecycleBed.withSlot("prestophttp") { bed in
            let marks = bed.configuration.rootDirectory + "/marks-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: marks, withIntermediateDirectories: true)
            let ok = "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            var pod = bed.makePod("prestophttp", containers: [bed.probed(
                "app", "trap 'exit 0' TERM; " + ncServer(port: 8080, response: ok, file: "/marks/requests") + " & wait",
                readiness: listening(onPort: 8080), ports: [ContainerPort(name: "admin", containerPort: 8080)],
                lifecycle: Lifecycle(preStop: LifecycleHandler(httpGet: HTTPGetAction(path: "/shutdown", port: "admin"))))],
                volumes: [Volume(name: "marks", hostPath: HostPathVolumeSource(path: marks, type: "Directory"))])
            pod = pod.withMount("marks", at: "/marks")
            pod = try await bed.submit(pod)
            // Ready, not merely Running: the hook fires at once and nc must already be listening to record it.
            try await bed.waitFor(pod, "Ready") { $0.condition(.ready)?.status == .true }
            try await bed.requestDeletion(pod, grace: 10)
            try await bed.waitGone(pod)
            let requests = (try? String(contentsOfFile: marks + "/requests", encoding: .utf8)) ?? ""
            #expect(requests.hasPrefix("GET /shutdown HTTP/1.1\r\n"), "\(requests)")
            #expect(requests.contains("User-Agent: kube-lifecycle/"))
            // Any HTTP response counts as a delivered hook (kubelet checks only that the request went through).
            #expect(!bed.events(pod).contains { $0.reason == "FailedPreStopHook" })
        }
    }
}
