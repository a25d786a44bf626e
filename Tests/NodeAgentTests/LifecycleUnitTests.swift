import CRI
import Foundation
import KubeTypes
import Testing

@testable import NodeAgent

@Suite("Lifecycle logic")
struct LifecycleUnitTests {
    // MARK: Backoff

    @Test("backoff: first event free, then base doubling to max, reset after twice max of quiet")
    func backoffSequence() {
        var backoff = Backoff(base: .seconds(10), max: .seconds(40))
        let s: Int64 = 1_000_000_000
        #expect(!backoff.isInBackOffSince("k", eventTime: 0, now: 0))
        backoff.next("k", eventTime: 0, now: 0)
        #expect(backoff.delay("k") == .seconds(10))
        #expect(backoff.isInBackOffSince("k", eventTime: 5 * s, now: 14 * s))
        #expect(!backoff.isInBackOffSince("k", eventTime: 5 * s, now: 15 * s))
        backoff.next("k", eventTime: 15 * s, now: 15 * s)
        #expect(backoff.delay("k") == .seconds(20))
        backoff.next("k", eventTime: 40 * s, now: 40 * s)
        backoff.next("k", eventTime: 90 * s, now: 90 * s)
        #expect(backoff.delay("k") == .seconds(40))
        // Quiet for more than 2 × max: back to the base.
        #expect(!backoff.isInBackOffSince("k", eventTime: 171 * s, now: 172 * s))
        backoff.next("k", eventTime: 171 * s, now: 171 * s)
        #expect(backoff.delay("k") == .seconds(10))
    }

    @Test("durations render like Go's")
    func goDurations() {
        #expect(Duration.seconds(10).goString == "10s")
        #expect(Duration.seconds(80).goString == "1m20s")
        #expect(Duration.seconds(300).goString == "5m0s")
        #expect(Duration.milliseconds(500).goString == "500ms")
        #expect(Duration.milliseconds(1500).goString == "1.5s")
    }

    // MARK: Expansion

    @Test("$(VAR) expansion, $$ escaping, unknown and malformed references kept", arguments: [
        ("$(A)", "x"), ("pre-$(A)-post", "pre-x-post"), ("$$(A)", "$(A)"), ("$(B)", "$(B)"), ("$$", "$"),
        ("$(A", "$(A"), ("$A", "$A"), ("a$", "a$"), ("$()", "$()"), ("$$$(A)", "$x"), ("é$(A)é", "éxé"),
    ])
    func expansion(_ input: String, _ expected: String) {
        #expect(EnvExpansion.expand(input) { $0 == "A" ? "x" : nil } == expected)
    }

    // MARK: Phase

    static func running(_ name: String) -> ContainerStatus {
        ContainerStatus(name: name, state: ContainerState(running: ContainerStateRunning()))
    }

    static func terminated(_ name: String, _ code: Int32) -> ContainerStatus {
        ContainerStatus(name: name, state: ContainerState(terminated: ContainerStateTerminated(exitCode: code)))
    }

    static func waiting(_ name: String, lastExit: Int32? = nil) -> ContainerStatus {
        ContainerStatus(name: name, state: ContainerState(waiting: ContainerStateWaiting(reason: "X")),
                        lastState: lastExit.map { ContainerState(terminated: ContainerStateTerminated(exitCode: $0)) })
    }

    @Test("getPhase")
    func phases() {
        func spec(_ policy: RestartPolicy, inits: [String] = []) -> PodSpec {
            PodSpec(initContainers: inits.isEmpty ? nil : inits.map { Container(name: $0) },
                    containers: [Container(name: "a"), Container(name: "b")], restartPolicy: policy)
        }
        let phase = PodStatusGenerator.phase
        #expect(phase(spec(.always), [], [Self.running("a"), Self.running("b")], false) == .running)
        #expect(phase(spec(.always), [], [Self.running("a"), Self.waiting("b")], false) == .pending)
        #expect(phase(spec(.always), [], [Self.running("a"), Self.waiting("b", lastExit: 1)], false) == .running)
        #expect(phase(spec(.never), [], [Self.terminated("a", 0), Self.terminated("b", 0)], false) == .succeeded)
        #expect(phase(spec(.never), [], [Self.terminated("a", 0), Self.terminated("b", 2)], false) == .failed)
        #expect(phase(spec(.onFailure), [], [Self.terminated("a", 0), Self.terminated("b", 2)], false) == .running)
        #expect(phase(spec(.always), [], [Self.terminated("a", 0), Self.terminated("b", 0)], false) == .running)
        #expect(phase(spec(.always), [], [Self.terminated("a", 0), Self.terminated("b", 0)], true) == .succeeded)
        #expect(phase(spec(.never, inits: ["i"]), [Self.terminated("i", 1)], [Self.waiting("a"), Self.waiting("b")], false) == .failed)
        #expect(phase(spec(.always, inits: ["i"]), [Self.waiting("i", lastExit: 1)], [Self.waiting("a"), Self.waiting("b")], false) == .pending)
        #expect(phase(spec(.always, inits: ["i"]), [Self.running("i")], [Self.waiting("a"), Self.waiting("b")], false) == .pending)
        #expect(phase(spec(.always), [], [Self.running("a")], false) == .pending)
    }

    // MARK: Conditions

    @Test("Initialized, ContainersReady and Ready carry kubelet's reasons and messages")
    func conditions() {
        let pod = Pod(spec: PodSpec(initContainers: [Container(name: "init1"), Container(name: "init2")],
                                    containers: [Container(name: "app"), Container(name: "side")]))
        let initialized = PodStatusGenerator.initializedCondition(
            pod, statuses: [Self.terminated("init1", 0), Self.running("init2")],
            appStatuses: [Self.waiting("app"), Self.waiting("side")], phase: .pending)
        #expect(initialized.status == .false)
        #expect(initialized.reason == "ContainersNotInitialized")
        #expect(initialized.message == "containers with incomplete status: [init2]")
        let both = PodStatusGenerator.initializedCondition(
            pod, statuses: [Self.waiting("init1"), Self.waiting("init2")], appStatuses: [], phase: .pending)
        #expect(both.message == "containers with incomplete status: [init1 init2]")
        var ready = Self.running("app")
        ready.ready = true
        let containersReady = PodStatusGenerator.containersReadyCondition(
            pod, statuses: [ready, Self.running("side")], initStatuses: [], phase: .running)
        #expect(containersReady.reason == "ContainersNotReady")
        #expect(containersReady.message == "containers with unready status: [side]")
        let podReady = PodStatusGenerator.readyCondition(pod, containersReady: containersReady, oldConditions: [])
        #expect(podReady.status == .false && podReady.message == containersReady.message)
        #expect(PodStatusGenerator.containersReadyCondition(pod, statuses: [], initStatuses: [], phase: .succeeded).reason
            == "PodCompleted")
    }

    @Test("generated status: waiting reasons, CrashLoopBackOff over the dead instance, lastState, transitions kept")
    func generatedStatus() {
        var pod = Pod(metadata: ObjectMeta(name: "web", namespace: "default", uid: "u1"),
                      spec: PodSpec(containers: [Container(name: "app", image: "img")], restartPolicy: .always))
        let view = PodRuntimeView(
            sandboxes: [SandboxInstance(id: "s1", attempt: 0, ready: true, createdAt: 1, ips: ["10.0.0.5"])],
            containers: [
                ContainerInstance(id: "c1", sandboxID: "s1", name: "app", attempt: 1, state: .exited,
                                  createdAt: 20, startedAt: 2_000_000_000, finishedAt: 3_000_000_000, exitCode: 1, reason: "Error"),
                ContainerInstance(id: "c0", sandboxID: "s1", name: "app", attempt: 0, state: .exited, createdAt: 10,
                                  exitCode: 1, reason: "Error"),
            ])
        let reason = ContainerWaitingReason(reason: "CrashLoopBackOff", message: "back-off 10s restarting failed container=app pod=web_default(u1)")
        let status = PodStatusGenerator.generate(PodStatusInputs(
            pod: pod, view: view, reasons: [ContainerKey(name: "app", isInit: false): reason],
            hostIP: "192.0.2.1", now: Time(secondsSinceEpoch: 100)))
        let app = status.containerStatuses?.first
        #expect(app?.state?.waiting?.reason == "CrashLoopBackOff")
        #expect(app?.lastState?.terminated?.containerID == "containerd://c1")
        #expect(app?.lastState?.terminated?.finishedAt == Time(secondsSinceEpoch: 3))
        #expect(app?.restartCount == 1)
        #expect(status.phase == .running)
        #expect(status.podIP == "10.0.0.5" && status.hostIP == "192.0.2.1")
        #expect(status.qosClass == .bestEffort)
        #expect(status.conditions?.first { $0.type == .ready }?.lastTransitionTime == Time(secondsSinceEpoch: 100))
        pod.status = status
        let again = PodStatusGenerator.generate(PodStatusInputs(
            pod: pod, view: view, reasons: [ContainerKey(name: "app", isInit: false): reason],
            hostIP: "192.0.2.1", now: Time(secondsSinceEpoch: 200)))
        #expect(again == status)
        // No containers yet: ContainerCreating, or PodInitializing when the pod has init containers.
        let fresh = PodStatusGenerator.generate(PodStatusInputs(pod: pod, view: PodRuntimeView(), hostIP: "h", now: Time(secondsSinceEpoch: 1)))
        #expect(fresh.containerStatuses?.first?.state?.waiting?.reason == "ContainerCreating")
        #expect(fresh.containerStatuses?.first?.restartCount == 1)
        var withInit = pod
        withInit.spec.initContainers = [Container(name: "init1", image: "img")]
        let initializing = PodStatusGenerator.generate(PodStatusInputs(pod: withInit, view: PodRuntimeView(), hostIP: "h", now: Time(secondsSinceEpoch: 1)))
        #expect(initializing.containerStatuses?.first?.state?.waiting?.reason == "PodInitializing")
        #expect(initializing.initContainerStatuses?.first?.state?.waiting?.reason == "PodInitializing")
        #expect(initializing.phase == .pending)
    }

    // MARK: computePodActions

    static func pod(_ policy: RestartPolicy, inits: [String] = []) -> Pod {
        Pod(metadata: ObjectMeta(name: "p", namespace: "default", uid: "u"),
            spec: PodSpec(initContainers: inits.isEmpty ? nil : inits.map { Container(name: $0) },
                          containers: [Container(name: "a"), Container(name: "b")], restartPolicy: policy))
    }

    static let sandbox = SandboxInstance(id: "s", attempt: 0, ready: true, createdAt: 1, ips: [])

    @Test("computePodActions: new pod, init order, restarts per policy, finished pods")
    func podActions() {
        let compute = PodActionPlanner.compute
        let fresh = compute(Self.pod(.always), PodRuntimeView())
        #expect(fresh.createSandbox && fresh.sandboxAttempt == 0 && fresh.containersToStart == [0, 1])
        let withInit = compute(Self.pod(.always, inits: ["i1", "i2"]), PodRuntimeView())
        #expect(withInit.createSandbox && withInit.initContainerToStart == 0 && withInit.containersToStart.isEmpty)
        let secondInit = compute(Self.pod(.always, inits: ["i1", "i2"]), PodRuntimeView(sandboxes: [Self.sandbox], containers: [
            ContainerInstance(id: "x", sandboxID: "s", name: "i1", attempt: 0, isInit: true, state: .exited),
        ]))
        #expect(!secondInit.createSandbox && secondInit.initContainerToStart == 1)
        let initFailedNever = compute(Self.pod(.never, inits: ["i1"]), PodRuntimeView(sandboxes: [Self.sandbox], containers: [
            ContainerInstance(id: "x", sandboxID: "s", name: "i1", attempt: 0, isInit: true, state: .exited, exitCode: 1),
        ]))
        #expect(initFailedNever.initFailedPermanently && initFailedNever.killPod)
        let initFailedAlways = compute(Self.pod(.always, inits: ["i1"]), PodRuntimeView(sandboxes: [Self.sandbox], containers: [
            ContainerInstance(id: "x", sandboxID: "s", name: "i1", attempt: 0, isInit: true, state: .exited, exitCode: 1),
        ]))
        #expect(initFailedAlways.initContainerToStart == 0 && !initFailedAlways.killPod)
        func exited(_ a: Int32, _ b: Int32) -> PodRuntimeView {
            PodRuntimeView(sandboxes: [Self.sandbox], containers: [
                ContainerInstance(id: "1", sandboxID: "s", name: "a", attempt: 0, state: .exited, exitCode: a),
                ContainerInstance(id: "2", sandboxID: "s", name: "b", attempt: 0, state: .exited, exitCode: b),
            ])
        }
        #expect(compute(Self.pod(.always), exited(0, 1)).containersToStart == [0, 1])
        #expect(compute(Self.pod(.onFailure), exited(0, 1)).containersToStart == [1])
        let done = compute(Self.pod(.never), exited(0, 1))
        #expect(done.containersToStart.isEmpty && done.killPod)
        let finishedNoSandbox = compute(Self.pod(.never), PodRuntimeView(
            sandboxes: [SandboxInstance(id: "s", attempt: 0, ready: false, createdAt: 1, ips: [])],
            containers: exited(0, 1).containers))
        #expect(!finishedNoSandbox.createSandbox)
        let deadSandbox = compute(Self.pod(.always), PodRuntimeView(
            sandboxes: [SandboxInstance(id: "s", attempt: 2, ready: false, createdAt: 1, ips: [])], containers: []))
        #expect(deadSandbox.createSandbox && deadSandbox.sandboxAttempt == 3)
        let created = compute(Self.pod(.always), PodRuntimeView(sandboxes: [Self.sandbox], containers: [
            ContainerInstance(id: "c", sandboxID: "s", name: "a", attempt: 0, state: .created),
            ContainerInstance(id: "r", sandboxID: "s", name: "b", attempt: 0, state: .running),
        ]))
        #expect(created.containersToStartExisting == ["c"] && created.containersToStart.isEmpty && !created.killPod)
    }

    // MARK: Resources, QoS, configs

    @Test("resources map to cgroup values; QoS classes")
    func resources() throws {
        var container = Container(name: "a")
        container.resources = ResourceRequirements(
            limits: ["cpu": try Quantity(parsing: "500m"), "memory": try Quantity(parsing: "128Mi")],
            requests: ["cpu": try Quantity(parsing: "250m"), "memory": try Quantity(parsing: "64Mi")])
        let linux = ContainerResources.linuxResources(container, qos: .burstable, memoryCapacity: 1 << 30)
        #expect(linux.cpuShares == 256 && linux.cpuQuota == 50_000 && linux.cpuPeriod == 100_000)
        #expect(linux.memoryLimitInBytes == 128 << 20)
        #expect(ContainerResources.shares(milliCPU: 0) == 2 && ContainerResources.shares(milliCPU: 1) == 2)
        #expect(ContainerResources.qosClass(PodSpec(containers: [container])) == .burstable)
        #expect(ContainerResources.qosClass(PodSpec(containers: [Container(name: "b")])) == .bestEffort)
        var guaranteed = Container(name: "g")
        let limits: ResourceList = ["cpu": try Quantity(parsing: "1"), "memory": try Quantity(parsing: "1Gi")]
        guaranteed.resources = ResourceRequirements(limits: limits, requests: limits)
        #expect(ContainerResources.qosClass(PodSpec(containers: [guaranteed])) == .guaranteed)
        #expect(ContainerResources.linuxResources(guaranteed, qos: .guaranteed, memoryCapacity: 1).oomScoreAdj == -997)
    }

    @Test("sandbox config: host network without hostname, namespaces, ports, DNS, labels")
    func sandboxConfig() {
        var pod = Pod(metadata: ObjectMeta(name: "web", namespace: "ns", uid: "u", labels: ["app": "x"]),
                      spec: PodSpec(containers: [Container(name: "a", ports: [ContainerPort(hostPort: 8080, containerPort: 80)])],
                                    dnsPolicy: .default, hostPID: true,
                                    dnsConfig: PodDNSConfig(nameservers: ["1.1.1.1"], searches: ["svc"],
                                                            options: [PodDNSConfigOption(name: "ndots", value: "2")])))
        let configuration = PodManagerConfiguration(nodeName: "n", rootDirectory: "/r", ownerLabels: ["owner": "me"])
        let paths = PodPaths(root: "/r", namespace: "ns", name: "web", uid: "u")
        var config = SandboxConfigBuilder.build(pod, attempt: 1, paths: paths, configuration: configuration,
                                                resolvConf: "nameserver 9.9.9.9\nsearch local\noptions ndots:5 edns0\n")
        #expect(config.hostname == "web" && config.metadata.attempt == 1)
        #expect(config.logDirectory == "/r/pods/logs/ns_web_u")
        #expect(config.labels == ["app": "x", "owner": "me", "io.kubernetes.pod.uid": "u",
                                  "io.kubernetes.pod.name": "web", "io.kubernetes.pod.namespace": "ns"])
        #expect(config.dnsConfig.servers == ["9.9.9.9", "1.1.1.1"])
        #expect(config.dnsConfig.searches == ["local", "svc"])
        #expect(config.dnsConfig.options == ["edns0", "ndots:2"])
        #expect(config.portMappings.first?.hostPort == 8080 && config.portMappings.first?.containerPort == 80)
        #expect(config.linux.securityContext.namespaceOptions.pid == .node)
        #expect(config.linux.securityContext.namespaceOptions.network == .pod)
        pod.spec.hostNetwork = true
        pod.spec.dnsPolicy = DNSPolicy.none
        config = SandboxConfigBuilder.build(pod, attempt: 0, paths: paths, configuration: configuration, resolvConf: "nameserver 9.9.9.9")
        #expect(config.hostname == "" && config.linux.securityContext.namespaceOptions.network == .node)
        #expect(config.dnsConfig.servers == ["1.1.1.1"])
    }

    @Test("container config: security context, runAsNonRoot refusal, log path, labels")
    func containerConfig() throws {
        var container = Container(name: "app", image: "img", command: ["echo", "$(X)"], args: ["$(X)"],
                                  env: [EnvVar(name: "X", value: "1")])
        container.securityContext = SecurityContext(
            capabilities: Capabilities(add: ["SYS_ADMIN"], drop: ["ALL"]), privileged: false, runAsUser: 1000,
            runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false,
            seccompProfile: SeccompProfile(type: "RuntimeDefault"))
        let pod = Pod(metadata: ObjectMeta(name: "web", namespace: "default", uid: "u"),
                      spec: PodSpec(containers: [container], securityContext: PodSecurityContext(supplementalGroups: [5], fsGroup: 7)))
        let configuration = PodManagerConfiguration(nodeName: "n", rootDirectory: "/r")
        var context = ContainerBuildContext(
            container: container, isInit: false, attempt: 2, paths: PodPaths(root: "/r", namespace: "default", name: "web", uid: "u"),
            configuration: configuration, podIPs: ["10.1.1.1"], imageUID: 0, imageUsername: "", mounts: [])
        let config = try ContainerConfigBuilder.build(pod, context)
        #expect(config.command == ["echo", "1"] && config.args == ["1"])
        #expect(config.logPath == "app/2.log" && config.metadata.attempt == 2)
        #expect(config.labels["io.kubernetes.container.name"] == "app")
        let security = config.linux.securityContext
        #expect(security.runAsUser.value == 1000 && security.readonlyRootfs && security.noNewPrivs)
        #expect(security.capabilities.addCapabilities == ["SYS_ADMIN"] && security.capabilities.dropCapabilities == ["ALL"])
        #expect(security.supplementalGroups == [5, 7])
        #expect(security.seccomp.profileType == .runtimeDefault)
        context.container.securityContext?.runAsUser = nil
        var rootPod = pod
        rootPod.spec.containers = [context.container]
        #expect(throws: ContainerConfigError.self) { try ContainerConfigBuilder.build(rootPod, context) }
    }

    @Test("the relister reports only pods whose objects changed")
    func relister() {
        func container(_ id: String, uid: String, _ state: Runtime_V1_ContainerState) -> Runtime_V1_Container {
            var c = Runtime_V1_Container()
            c.id = id
            c.state = state
            c.labels = ["io.kubernetes.pod.uid": uid]
            return c
        }
        var relister = Relister()
        #expect(relister.diff(RuntimeListingCache.group(sandboxes: [], containers: [container("1", uid: "a", .containerRunning),
                                                         container("2", uid: "b", .containerRunning)])) == ["a", "b"])
        #expect(relister.diff(RuntimeListingCache.group(sandboxes: [], containers: [container("1", uid: "a", .containerRunning),
                                                         container("2", uid: "b", .containerRunning)])).isEmpty)
        #expect(relister.diff(RuntimeListingCache.group(sandboxes: [], containers: [container("1", uid: "a", .containerExited),
                                                         container("2", uid: "b", .containerRunning)])) == ["a"])
        #expect(relister.diff(RuntimeListingCache.group(sandboxes: [], containers: [container("1", uid: "a", .containerExited)])) == ["b"])
    }

    @Test("termination message fallback: last lines of the CRI log, at most 2048 bytes")
    func logTail() throws {
        let path = NSTemporaryDirectory() + "swiftlet-logtail-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        var text = ""
        for i in 0..<100 { text += "2026-01-01T00:00:00.1Z stdout F line \(i)\n" }
        text += "2026-01-01T00:00:00.1Z stderr P part-\n2026-01-01T00:00:00.1Z stderr F end\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let tail = TerminationMessage.logTail(path)
        #expect(tail.hasSuffix("line 99\npart-end\n"))
        #expect(!tail.contains("line 20\n"))
        #expect(tail.utf8.count <= 2048)
    }
}
