import CRI
import Foundation
import KubeTypes
import TestSupport
import Testing

@testable import NodeAgent

/// Probes against the real containerd, with busybox stand-ins for the usual test servers. Each test has its own
/// bed (scope, store, manager), so they run concurrently.
@Suite("Probes on containerd")
struct ProbeIntegrationTests {
    @Test("liveness: a probe that starts failing restarts the container; one that always passes never does")
    func livenessRestarts() async throws {
        let observer = RecordingProbeObserver()
        try await LifecycleBed.withSlot("live", probeObserver: observer) { bed in
            let failing = try await bed.submit(bed.makePod("failing", containers: [bed.probed(
                "app", "touch /tmp/ok; sleep 2; rm /tmp/ok; exec sleep 600",
                liveness: execProbe("cat /tmp/ok", failureThreshold: 2, grace: 1))]))
            let healthy = try await bed.submit(bed.makePod("healthy", containers: [bed.probed(
                "app", "exec sleep 600", liveness: execProbe("true"))]))
            let restarted = try await bed.waitFor(failing, "a liveness restart") { ($0.container("app")?.restartCount ?? 0) >= 1 }
            #expect(restarted.container("app")?.lastState?.terminated?.exitCode == 137)
            try await bed.waitForEvent(failing, reason: "Unhealthy", containing: "Liveness probe failed: cat: can't open '/tmp/ok'")
            try await bed.waitForEvent(failing, reason: "Killing", containing: "Container app failed liveness probe, will be restarted")
            // The healthy pod was probed every second all along and never restarted.
            let steady = try await bed.waitFor(healthy, "Running") { $0.status.phase == .running }
            #expect(steady.container("app")?.restartCount == 0)
            #expect(steady.container("app")?.ready == true)
            #expect(!bed.events(healthy).contains { $0.reason == "Unhealthy" || $0.reason == "Killing" })
            let observed = observer.all.filter { $0.pod == healthy.metadata.name }
            #expect(observed.count >= 3)
            #expect(observed.allSatisfy { $0.probeType == "Liveness" && $0.result == "successful" && $0.container == "app" })
            #expect(observer.all.contains { $0.pod == failing.metadata.name && $0.result == "failed" })
        }
    }

    @Test("an exec probe that sleeps past its 1 s timeout fails")
    func execTimeout() async throws {
        try await LifecycleBed.withSlot("exectimeout") { bed in
            let pod = try await bed.submit(bed.makePod("slow", containers: [bed.probed(
                "app", "exec sleep 600", readiness: execProbe("sleep 3", timeout: 1))]))
            let event = try await bed.waitForEvent(pod, reason: "Unhealthy", containing: "Readiness probe failed")
            #expect(event.message?.contains("timed out") == true, "\(event.message ?? "")")
            let current = try await bed.waitFor(pod, "Running") { $0.status.phase == .running }
            #expect(current.container("app")?.ready == false)
            #expect(current.condition(.ready)?.status == .false)
        }
    }

    @Test("readiness with initialDelaySeconds: not ready before the delay, ready after it, never restarted")
    func readinessInitialDelay() async throws {
        try await LifecycleBed.withSlot("delay") { bed in
            let pod = try await bed.submit(bed.makePod("delayed", containers: [bed.probed(
                "app", "exec sleep 600", readiness: execProbe("true", initialDelay: 3))]))
            let running = try await bed.waitFor(pod, "Running") { $0.status.phase == .running }
            let runningSeen = ContinuousClock.now
            #expect(running.container("app")?.ready == false)
            #expect(running.condition(.containersReady)?.message == "containers with unready status: [app]")
            let ready = try await bed.waitFor(pod, "Ready") { $0.condition(.ready)?.status == .true }
            let waited = ContinuousClock.now - runningSeen
            // The container started before Running was seen, so a bit less than the 3 s may remain.
            #expect(waited > .seconds(2), "ready after \(waited)")
            #expect(waited < .seconds(6), "ready after \(waited)")
            #expect(ready.container("app")?.restartCount == 0)
            #expect(ready.container("app")?.started == true)
        }
    }

    @Test("a readiness failure flips Ready to False without a restart, and back")
    func readinessFlips() async throws {
        try await LifecycleBed.withSlot("flip") { bed in
            let pod = try await bed.submit(bed.makePod("flip", containers: [bed.probed(
                "app", "touch /tmp/ready; exec sleep 600", readiness: execProbe("cat /tmp/ready"))]))
            try await bed.waitFor(pod, "Ready") { $0.condition(.ready)?.status == .true }
            try await bed.exec(pod, container: "app", ["rm", "/tmp/ready"])
            let unready = try await bed.waitFor(pod, "not Ready") { $0.condition(.ready)?.status == .false }
            #expect(unready.condition(.ready)?.reason == "ContainersNotReady")
            #expect(unready.condition(.ready)?.message == "containers with unready status: [app]")
            #expect(unready.condition(.containersReady)?.status == .false)
            #expect(unready.container("app")?.ready == false)
            #expect(unready.container("app")?.restartCount == 0)
            #expect(unready.container("app")?.state?.running != nil)
            try await bed.exec(pod, container: "app", ["touch", "/tmp/ready"])
            let back = try await bed.waitFor(pod, "Ready again") { $0.condition(.ready)?.status == .true }
            #expect(back.container("app")?.restartCount == 0)
            #expect(!bed.events(pod).contains { $0.reason == "Killing" })
        }
    }

    @Test("startup probe holds off liveness: started stays false and nothing restarts until it passes")
    func startupHoldsLiveness() async throws {
        try await LifecycleBed.withSlot("startup") { bed in
            let pod = try await bed.submit(bed.makePod("startup", containers: [bed.probed(
                "app", "exec sleep 600",
                liveness: execProbe("cat /tmp/started"),
                startup: execProbe("cat /tmp/started", failureThreshold: 30))]))
            try await bed.waitFor(pod, "Running") { $0.status.phase == .running }
            // Liveness would fail at once if it ran; for 3 s it must not.
            try await Task.sleep(for: .seconds(3))
            let holding = try #require(await bed.store.get(pod.objectKey))
            #expect(holding.container("app")?.started == false)
            #expect(holding.container("app")?.ready == false)
            #expect(holding.container("app")?.restartCount == 0)
            #expect(!bed.events(pod).contains { ($0.message ?? "").hasPrefix("Liveness") })
            #expect(bed.events(pod).contains { ($0.message ?? "").hasPrefix("Startup probe failed") })
            try await bed.exec(pod, container: "app", ["touch", "/tmp/started"])
            let started = try await bed.waitFor(pod, "started") { $0.container("app")?.started == true }
            #expect(started.container("app")?.restartCount == 0)
            #expect(started.condition(.ready)?.status == .true)
        }
    }

    @Test("once the startup probe passes, readiness runs at once rather than a period later")
    func startupThenReadiness() async throws {
        try await LifecycleBed.withSlot("fastready") { bed in
            let pod = try await bed.submit(bed.makePod("fastready", containers: [bed.probed(
                "app", "exec sleep 600",
                readiness: execProbe("true", period: 60),
                startup: execProbe("cat /tmp/started", failureThreshold: 30))]))
            try await bed.waitFor(pod, "Running") { $0.status.phase == .running }
            try await bed.exec(pod, container: "app", ["touch", "/tmp/started"])
            let started = try await bed.waitFor(pod, "started") { $0.container("app")?.started == true }
            let startedSeen = ContinuousClock.now
            let ready = started.container("app")?.ready == true
                ? started : try await bed.waitFor(pod, timeout: .seconds(10), "ready") { $0.container("app")?.ready == true }
            #expect(ContinuousClock.now - startedSeen < .seconds(3))
            #expect(ready.condition(.ready)?.status == .true)
        }
    }

    @Test("httpGet by named port with headers: kubelet's request; httpd serving a file that goes away")
    func httpGetNamedPortAndHeaders() async throws {
        try await LifecycleBed.withSlot("http") { bed in
            let ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
            let probe = Probe(httpGet: HTTPGetAction(path: "/healthz?x=1", port: "web",
                                                     httpHeaders: [HTTPHeader(name: "X-Probe-Token", value: "t0k")]),
                              periodSeconds: 1, failureThreshold: 1)
            let pod = try await bed.submit(bed.makePod("http", containers: [
                bed.probed("nc", ncServer(port: 8081, response: ok, file: "/data/requests"), readiness: probe,
                           ports: [ContainerPort(name: "web", containerPort: 8081)]),
                bed.probed("httpd", "mkdir -p /www; echo hi > /www/index.html; (sleep 4; rm /www/index.html) & exec httpd -f -p 8080 -h /www",
                           readiness: Probe(httpGet: HTTPGetAction(path: "/index.html", port: 8080), periodSeconds: 1, failureThreshold: 1)),
            ], volumes: [Volume(name: "data", emptyDir: EmptyDirVolumeSource())]).withMount("data", at: "/data"))
            let ready = try await bed.waitFor(pod, "both ready") {
                $0.container("nc")?.ready == true && $0.container("httpd")?.ready == true
            }
            #expect(ready.condition(.ready)?.status == .true)
            let requests = (try? String(contentsOfFile: bed.emptyDir(pod, "data") + "/requests", encoding: .utf8)) ?? ""
            #expect(requests.hasPrefix("GET /healthz?x=1 HTTP/1.1\r\n"), "\(requests)")
            #expect(requests.contains("X-Probe-Token: t0k\r\n"))
            #expect(requests.contains("User-Agent: kube-probe/\(HTTPRequestBuilder.kubernetesVersion)\r\n"))
            #expect(requests.contains("Accept: */*\r\n"))
            #expect(requests.contains("Host: \(ready.status.podIP ?? "-"):8081\r\n"))
            // The file goes away after 4 s: 404, not ready, not restarted.
            let gone = try await bed.waitFor(pod, "httpd unready") { $0.container("httpd")?.ready == false }
            #expect(gone.container("httpd")?.restartCount == 0)
            try await bed.waitForEvent(pod, reason: "Unhealthy", containing: "Readiness probe failed: HTTP probe failed with statuscode: 404")
        }
    }

    @Test("an httpGet redirect to another host is success with a ProbeWarning event")
    func redirectElsewhere() async throws {
        try await LifecycleBed.withSlot("redirect") { bed in
            let redirect = "HTTP/1.1 302 Found\r\nLocation: http://elsewhere.invalid:8080/x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nmoved"
            let pod = try await bed.submit(bed.makePod("redirect", containers: [bed.probed(
                "app", ncServer(port: 8080, response: redirect, file: "/dev/null"),
                readiness: Probe(httpGet: HTTPGetAction(path: "/", port: 8080), periodSeconds: 1, failureThreshold: 1))]))
            let ready = try await bed.waitFor(pod, "Ready") { $0.condition(.ready)?.status == .true }
            #expect(ready.container("app")?.ready == true)
            let warning = try await bed.waitForEvent(pod, reason: "ProbeWarning")
            #expect(warning.type == "Warning")
            #expect(warning.message == "Readiness probe warning: Probe terminated redirects, Response body: moved")
        }
    }

    @Test("tcpSocket: a listening port passes, a closed one fails")
    func tcpSocket() async throws {
        try await LifecycleBed.withSlot("tcp") { bed in
            let pod = try await bed.submit(bed.makePod("tcp", containers: [
                bed.probed("open", "while true; do nc -l -p 9000 > /dev/null; done",
                           readiness: Probe(tcpSocket: TCPSocketAction(port: 9000), periodSeconds: 1, failureThreshold: 1)),
                bed.probed("closed", "exec sleep 600",
                           readiness: Probe(tcpSocket: TCPSocketAction(port: 9001), periodSeconds: 1, failureThreshold: 1)),
            ]))
            let current = try await bed.waitFor(pod, "open ready") { $0.container("open")?.ready == true }
            try await bed.waitForEvent(pod, reason: "Unhealthy", containing: "Readiness probe failed: dial tcp \(current.status.podIP ?? "-"):9001")
            let later = try #require(await bed.store.get(pod.objectKey))
            #expect(later.container("closed")?.ready == false)
            #expect(later.condition(.containersReady)?.message == "containers with unready status: [closed]")
        }
    }

    @Test("probe-level terminationGracePeriodSeconds wins over the pod's on a liveness kill")
    func probeGraceWins() async throws {
        try await LifecycleBed.withSlot("grace") { bed in
            // sh as PID 1 ignores SIGTERM, so the kill waits out the whole grace: 1 s, not the pod's 60 s.
            var pod = bed.makePod("grace", containers: [bed.probed(
                "app", "while true; do sleep 0.1; done", liveness: execProbe("false", grace: 1))])
            pod.spec.terminationGracePeriodSeconds = 60
            pod = try await bed.submit(pod)
            try await bed.waitFor(pod, "Running") { $0.status.phase == .running }
            let killing = try await bed.waitForEvent(pod, reason: "Killing", containing: "failed liveness probe")
            let killSeen = ContinuousClock.now
            #expect(killing.message == "Container app failed liveness probe, will be restarted")
            let restarted = try await bed.waitFor(pod, timeout: .seconds(30), "restart") { ($0.container("app")?.restartCount ?? 0) >= 1 }
            // 1 s of grace plus a restart; the pod's 60 s would hold the restart for a minute.
            #expect(ContinuousClock.now - killSeen < .seconds(20))
            #expect(restarted.container("app")?.lastState?.terminated?.exitCode == 137)
        }
    }
}
