import CRI
import EventHTTP
import Foundation
import KubeTypes
import Logging
import Testing

@testable import NodeAgent

/// The prober's pure parts: kubelet's thresholds and timing, startup gating in status, the kill decision, the
/// request kubelet sends, redirects, and the hand-encoded gRPC health messages.
@Suite("Prober rules")
struct ProbeUnitTests {
    // MARK: Thresholds

    @Test("defaults: timeout 1 s, period 10 s, thresholds 1 and 3; liveness and startup succeed after one run")
    func defaults() {
        let readiness = ProbeSchedule(Probe(successThreshold: 3), kind: .readiness)
        #expect(readiness.timeout == .seconds(1) && readiness.period == .seconds(10) && readiness.initialDelay == .zero)
        #expect(readiness.successThreshold == 3 && readiness.failureThreshold == 3)
        #expect(ProbeSchedule(Probe(successThreshold: 3), kind: .liveness).successThreshold == 1)
        #expect(ProbeSchedule(Probe(timeoutSeconds: 0, periodSeconds: 0), kind: .startup).period == .seconds(1))
        #expect(ProbeSchedule(Probe(), kind: .readiness).published == .failure)
        #expect(ProbeSchedule(Probe(), kind: .liveness).published == .success)
        #expect(ProbeSchedule(Probe(), kind: .startup).published == .unknown)
    }

    @Test("liveness: failureThreshold failures in a row publish Failure and hold; a success in between resets")
    func livenessThreshold() {
        var schedule = ProbeSchedule(Probe(failureThreshold: 3), kind: .liveness)
        #expect(schedule.record(.failure) == nil)
        #expect(schedule.record(.failure) == nil)
        #expect(schedule.record(.success) == nil)  // still Success: no change published
        #expect(schedule.record(.failure) == nil)
        #expect(schedule.record(.failure) == nil)
        #expect(!schedule.finished)
        #expect(schedule.record(.failure) == .failure)
        #expect(schedule.finished && schedule.onHold)
    }

    @Test("readiness: successThreshold successes to turn ready, failureThreshold failures to turn unready, never held")
    func readinessThresholds() {
        var schedule = ProbeSchedule(Probe(successThreshold: 2, failureThreshold: 2), kind: .readiness)
        #expect(schedule.record(.success) == nil)
        #expect(schedule.record(.success) == .success)
        #expect(schedule.record(.success) == nil)
        #expect(schedule.record(.failure) == nil)
        #expect(schedule.record(.failure) == .failure)
        #expect(!schedule.finished)
        #expect(schedule.record(.failure) == nil)
        #expect(schedule.record(.success) == nil)
        #expect(schedule.record(.success) == .success)
    }

    @Test("startup: finished once it passed; a failure past the threshold holds it")
    func startupFinishes() {
        var passing = ProbeSchedule(Probe(failureThreshold: 5), kind: .startup)
        #expect(passing.record(.failure) == nil)
        #expect(passing.record(.success) == .success)
        #expect(passing.finished && !passing.onHold)
        var failing = ProbeSchedule(Probe(failureThreshold: 2), kind: .startup)
        #expect(failing.record(.failure) == nil)
        #expect(failing.record(.failure) == .failure)
        #expect(failing.onHold)
    }

    // MARK: Timing

    @Test("first run: after the initial delay, a small jitter for fresh containers, a period's for old ones, none after startup")
    func firstDelay() {
        let schedule = ProbeSchedule(Probe(initialDelaySeconds: 5, periodSeconds: 10), kind: .readiness)
        #expect(schedule.firstDelay(runningFor: .seconds(1), jitter: 0, afterStartup: false) == .seconds(4))
        #expect(schedule.firstDelay(runningFor: .seconds(1), jitter: 0.5, afterStartup: false) == .milliseconds(4500))
        // A fresh container's jitter is at most a tenth of a period and at most 1 s.
        #expect(schedule.firstDelay(runningFor: .zero, jitter: 0.999, afterStartup: false) < .seconds(6))
        // Adopted long after start: probe within one period, spread by the jitter.
        #expect(schedule.firstDelay(runningFor: .seconds(100), jitter: 0.25, afterStartup: false) == .milliseconds(2500))
        // Released by a passed startup probe: at once (the initial delay still counts from the container's start).
        #expect(schedule.firstDelay(runningFor: .seconds(30), jitter: 0.9, afterStartup: true) == .zero)
        #expect(schedule.firstDelay(runningFor: .seconds(2), jitter: 0.9, afterStartup: true) == .seconds(3))
        let short = ProbeSchedule(Probe(periodSeconds: 1), kind: .liveness)
        #expect(short.firstDelay(runningFor: .zero, jitter: 0.5, afterStartup: false) == .milliseconds(50))
    }

    // MARK: Status and actions

    static func probedPod(readiness: Bool, startup: Bool) -> Pod {
        var container = Container(name: "app", image: "img")
        if readiness { container.readinessProbe = Probe(exec: ExecAction(command: ["true"])) }
        if startup { container.startupProbe = Probe(exec: ExecAction(command: ["true"])) }
        return Pod(metadata: ObjectMeta(name: "web", namespace: "default", uid: "u1"),
                   spec: PodSpec(containers: [container], restartPolicy: .always))
    }

    static let runningView = PodRuntimeView(
        sandboxes: [SandboxInstance(id: "s1", attempt: 0, ready: true, createdAt: 1, ips: ["10.0.0.5"])],
        containers: [ContainerInstance(id: "c1", sandboxID: "s1", name: "app", attempt: 0, state: .running,
                                       createdAt: 10, startedAt: 1_000_000_000)])

    static func status(_ pod: Pod, _ results: ContainerProbeResults?, terminating: Bool = false) -> PodStatus {
        var inputs = PodStatusInputs(pod: pod, view: runningView, hostIP: "h", now: Time(secondsSinceEpoch: 5))
        if let results { inputs.probes = ["c1": results] }
        inputs.terminating = terminating
        return PodStatusGenerator.generate(inputs)
    }

    @Test("status: started waits for the startup probe, ready for started and readiness; a terminating pod is not Ready")
    func statusFromResults() {
        let gated = Self.probedPod(readiness: true, startup: true)
        let before = Self.status(gated, ContainerProbeResults(readiness: nil, startup: .unknown))
        #expect(before.containerStatuses?.first?.started == false)
        #expect(before.containerStatuses?.first?.ready == false)
        #expect(before.phase == .running)
        let ready = before.conditions?.first { $0.type == .ready }
        #expect(ready?.status == .false && ready?.reason == "ContainersNotReady")
        #expect(ready?.message == "containers with unready status: [app]")
        let startedOnly = Self.status(gated, ContainerProbeResults(readiness: .failure, startup: .success))
        #expect(startedOnly.containerStatuses?.first?.started == true)
        #expect(startedOnly.containerStatuses?.first?.ready == false)
        let all = Self.status(gated, ContainerProbeResults(readiness: .success, startup: .success))
        #expect(all.containerStatuses?.first?.ready == true)
        #expect(all.conditions?.first { $0.type == .ready }?.status == .true)
        #expect(all.conditions?.first { $0.type == .containersReady }?.status == .true)
        // Readiness alone, no result yet: not ready; without any probe: ready as soon as it runs.
        #expect(Self.status(Self.probedPod(readiness: true, startup: false), nil).containerStatuses?.first?.ready == false)
        #expect(Self.status(Self.probedPod(readiness: false, startup: false), nil).containerStatuses?.first?.ready == true)
        let terminating = Self.status(gated, ContainerProbeResults(readiness: .success, startup: .success), terminating: true)
        #expect(terminating.containerStatuses?.first?.ready == false)
        #expect(terminating.conditions?.first { $0.type == .ready }?.status == .false)
    }

    @Test("actions: a failed liveness probe kills the container (restarting it unless Never) and keeps the sandbox")
    func unhealthyActions() {
        var pod = Self.probedPod(readiness: false, startup: false)
        let actions = PodActionPlanner.computeActions(pod: pod, view: Self.runningView, unhealthy: ["c1": .liveness])
        #expect(actions.unhealthyContainers == [UnhealthyContainer(id: "c1", name: "app", kind: .liveness, willRestart: true)])
        #expect(actions.unhealthyContainers.first?.message == "Container app failed liveness probe, will be restarted")
        #expect(!actions.killPod && actions.containersToStart.isEmpty)
        pod.spec.restartPolicy = .never
        let never = PodActionPlanner.computeActions(pod: pod, view: Self.runningView, unhealthy: ["c1": .startup])
        #expect(never.unhealthyContainers.first?.message == "Container app failed startup probe")
        #expect(never.killPod)
        #expect(PodActionPlanner.compute(pod: pod, view: Self.runningView).unhealthyContainers.isEmpty)
    }

    // MARK: Requests

    @Test("httpGet request: pod IP, named port, path, kubelet's User-Agent and Accept unless the spec sets them")
    func httpRequest() async throws {
        // Requests are built without the runtime; a client that never connects stands in for it.
        let runtime = try GRPCContainerRuntime(endpoint: "unix:///nonexistent/swiftlet-probe-tests.sock",
                                               logger: Logger(label: "probe-tests"))
        defer { Task { await runtime.close() } }
        let target = ProbeTarget(runtime: runtime, http: HTTPProbeClient(client: HTTPClient()), containerID: "c1",
                                 container: Container(name: "app", ports: [ContainerPort(name: "http", containerPort: 8080)]),
                                 host: "10.0.0.5")
        let request = try HTTPRequestBuilder.request(
            for: HTTPGetAction(path: "healthz", port: "http", httpHeaders: [HTTPHeader(name: "X-Probe", value: "yes")]),
            target: target)
        #expect(request.url == "http://10.0.0.5:8080/healthz")
        #expect(request.headers.map(\.name) == ["X-Probe", "User-Agent", "Accept"])
        #expect(request.headers.map(\.value) == ["yes", "kube-probe/\(HTTPRequestBuilder.kubernetesVersion)", "*/*"])
        let custom = try HTTPRequestBuilder.request(
            for: HTTPGetAction(port: 443, host: "example.test", scheme: .https,
                               httpHeaders: [HTTPHeader(name: "user-agent", value: "mine"), HTTPHeader(name: "Accept", value: "text/plain")]),
            target: target)
        #expect(custom.url == "https://example.test:443/")
        #expect(custom.headers.count == 2)
        let headers = HTTPProbeClient.headers(request)
        #expect(headers["Host"] == "10.0.0.5:8080")
        #expect(headers.map(\.name) == ["Host", "X-Probe", "User-Agent", "Accept"])
        var hostGiven = request
        hostGiven.headers.append((name: "host", value: "svc.test"))
        #expect(HTTPProbeClient.headers(hostGiven).values("Host") == ["svc.test"], "the spec's Host replaces the default")
        #expect(throws: ProbeSetupError.self) { try HTTPRequestBuilder.request(for: HTTPGetAction(port: "nope"), target: target) }
        #expect(throws: ProbeSetupError.self) { try HTTPRequestBuilder.request(for: HTTPGetAction(port: 70000), target: target) }
    }

    @Test("redirects: same-host paths and URLs are followed, another host is recognised")
    func redirects() {
        let base = HTTPProbeRequest(scheme: "http", host: "10.0.0.5", port: 8080, path: "/a/b", headers: [])
        #expect(HTTPRequestBuilder.redirect(from: base, location: "/ok")?.url == "http://10.0.0.5:8080/ok")
        #expect(HTTPRequestBuilder.redirect(from: base, location: "c")?.url == "http://10.0.0.5:8080/a/c")
        #expect(HTTPRequestBuilder.redirect(from: base, location: "https://10.0.0.5:8443/x?y=1")?.url == "https://10.0.0.5:8443/x?y=1")
        let elsewhere = HTTPRequestBuilder.redirect(from: base, location: "http://Example.COM/")
        #expect(elsewhere?.host == "example.com" && elsewhere?.port == 80)
        #expect(HTTPRequestBuilder.redirect(from: base, location: "http://[::1]:9/")?.host == "::1")
        #expect(HTTPProbeResponseVerdicts.kinds == [.success, .warning, .failure])
    }

    // MARK: gRPC

    @Test("grpc health messages: request with and without a service, response status decoding")
    func grpcMessages() throws {
        #expect(GRPCHealthMessages.request(service: "") == [])
        #expect(GRPCHealthMessages.request(service: "ab") == [0x0A, 0x02, 0x61, 0x62])
        #expect(try GRPCHealthMessages.status(in: [0x08, 0x01]) == 1)
        #expect(try GRPCHealthMessages.status(in: []) == 0)
        // Unknown fields are skipped.
        #expect(try GRPCHealthMessages.status(in: [0x12, 0x01, 0x7A, 0x08, 0x02]) == 2)
        #expect(throws: GRPCHealthDecodingError.self) { try GRPCHealthMessages.status(in: [0x08]) }
        #expect(GRPCHealthMessages.varint(300) == [0xAC, 0x02])
    }
}

/// The verdicts of `HTTPGetProbe.outcome` for a 200, a 302 and a 500.
enum HTTPProbeResponseVerdicts {
    static var kinds: [ProbeOutcome.Kind] {
        [200, 302, 500].map { HTTPGetProbe.outcome(HTTPProbeResponse(status: $0, location: nil, body: [])).kind }
    }
}
