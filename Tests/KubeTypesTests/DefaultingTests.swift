import Testing
@testable import KubeTypes

@Suite struct DefaultingTests {
    static let now = Time(secondsSinceEpoch: 1_714_564_800)

    @Test func fillsWhatTheAPIServerFills() throws {
        var pod = try KubeYAML.decode(Pod.self, from: """
        metadata: {name: web}
        spec:
          containers:
          - name: app
            image: nginx
            ports: [{containerPort: 80}]
            resources: {limits: {cpu: 500m, memory: 128Mi}, requests: {cpu: 100m}}
            livenessProbe: {httpGet: {port: 80}}
            readinessProbe: {tcpSocket: {port: 80}, periodSeconds: 3}
            lifecycle: {preStop: {httpGet: {port: 80, path: /quit}}}
            env: [{name: N, valueFrom: {fieldRef: {fieldPath: metadata.name}}}]
          volumes:
          - {name: h, hostPath: {path: /tmp}}
          - {name: d, downwardAPI: {items: [{path: l, fieldRef: {fieldPath: metadata.labels}}]}}
          - {name: c, configMap: {name: cm}}
          - {name: e}
        status: {phase: Running}
        """)
        PodDefaulting.apply(to: &pod, now: Self.now, uid: "1234")
        #expect(pod.metadata.uid == "1234")
        #expect(pod.metadata.creationTimestamp == Self.now)
        #expect(pod.metadata.namespace == "default")
        let spec = pod.spec
        #expect(spec.restartPolicy == .always)
        #expect(spec.terminationGracePeriodSeconds == 30)
        #expect(spec.dnsPolicy == .clusterFirst)
        #expect(spec.schedulerName == "default-scheduler")
        #expect(spec.securityContext == PodSecurityContext())
        #expect(spec.enableServiceLinks == true)
        #expect(spec.priority == 0)
        #expect(spec.preemptionPolicy == "PreemptLowerPriority")
        let c = try #require(spec.containers.first)
        #expect(c.imagePullPolicy == .always)
        #expect(c.terminationMessagePath == "/dev/termination-log")
        #expect(c.terminationMessagePolicy == .file)
        #expect(c.ports?.first?.protocol == .tcp)
        #expect(c.resources?.requests?["cpu"] == Quantity(milli: 100))
        #expect(c.resources?.requests?["memory"]?.description == "128Mi")
        let live = try #require(c.livenessProbe)
        #expect(live.timeoutSeconds == 1 && live.periodSeconds == 10 && live.successThreshold == 1 && live.failureThreshold == 3)
        #expect(live.initialDelaySeconds == nil)
        #expect(live.httpGet?.path == "/" && live.httpGet?.scheme == .http)
        #expect(c.readinessProbe?.periodSeconds == 3)
        #expect(c.lifecycle?.preStop?.httpGet?.path == "/quit")
        #expect(c.lifecycle?.preStop?.httpGet?.scheme == .http)
        #expect(c.env?.first?.valueFrom?.fieldRef?.apiVersion == "v1")
        let volumes = try #require(spec.volumes)
        #expect(volumes[0].hostPath?.type == "")
        #expect(volumes[1].downwardAPI?.defaultMode == 0o644)
        #expect(volumes[1].downwardAPI?.items?.first?.fieldRef?.apiVersion == "v1")
        #expect(volumes[2].configMap?["defaultMode"] == .int(420))
        #expect(volumes[3].emptyDir == EmptyDirVolumeSource())
        #expect(pod.status == PodStatus(phase: .pending, qosClass: .burstable))
        #expect(PodValidation.validate(pod).isEmpty)
    }

    @Test(arguments: [
        ("nginx", PullPolicy.always), ("nginx:latest", .always), ("nginx:1.27", .ifNotPresent),
        ("registry:5000/app", .always), ("registry:5000/app:v1", .ifNotPresent),
        ("app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", .ifNotPresent),
        ("app:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", .always),
        ("", .always),
    ])
    func imagePullPolicyFromTag(image: String, expected: PullPolicy) {
        var pod = Pod(spec: PodSpec(containers: [Container(name: "a", image: image)]))
        PodDefaulting.apply(to: &pod, now: Self.now, uid: "u")
        #expect(pod.spec.containers[0].imagePullPolicy == expected)
    }

    @Test func keepsWhatIsGiven() {
        var pod = Pod(metadata: ObjectMeta(name: "a", namespace: "ns", uid: "given"),
                      spec: PodSpec(containers: [Container(name: "a", image: "x:latest", imagePullPolicy: .never)],
                                    restartPolicy: .never, terminationGracePeriodSeconds: 0, dnsPolicy: .default))
        PodDefaulting.apply(to: &pod, now: Self.now, uid: "other")
        #expect(pod.metadata.uid == "given")
        #expect(pod.metadata.namespace == "ns")
        #expect(pod.spec.restartPolicy == .never)
        #expect(pod.spec.terminationGracePeriodSeconds == 0)
        #expect(pod.spec.dnsPolicy == .default)
        #expect(pod.spec.containers[0].imagePullPolicy == .never)
    }

    @Test func hostNetworkCopiesContainerPortToHostPort() {
        var pod = Pod(spec: PodSpec(containers: [Container(name: "a", image: "x", ports: [ContainerPort(containerPort: 9100)])],
                                    hostNetwork: true))
        PodDefaulting.apply(to: &pod, now: Self.now, uid: "u")
        #expect(pod.spec.containers[0].ports?.first?.hostPort == 9100)
    }

    @Test func generatedNames() {
        let alphabet = Set("bcdfghjklmnpqrstvwxz2456789")
        for _ in 0..<200 {
            let name = PodDefaulting.generateName(prefix: "web-")
            #expect(name.hasPrefix("web-") && name.count == 9)
            #expect(name.dropFirst(4).allSatisfy { alphabet.contains($0) })
        }
        let long = PodDefaulting.generateName(prefix: String(repeating: "a", count: 100))
        #expect(long.count == 63)
        var pod = Pod(metadata: ObjectMeta(generateName: "job-"), spec: PodSpec(containers: [Container(name: "a", image: "x")]))
        PodDefaulting.apply(to: &pod, now: Self.now, uid: "u")
        #expect(pod.metadata.name?.hasPrefix("job-") == true && pod.metadata.name?.count == 9)
        #expect(PodValidation.validate(pod).isEmpty)
    }

    static func container(_ requests: [String: String], _ limits: [String: String]) throws -> Container {
        func list(_ d: [String: String]) throws -> ResourceList? {
            d.isEmpty ? nil : try d.mapValues { try Quantity(parsing: $0) }
        }
        return Container(name: "c", image: "x", resources: ResourceRequirements(limits: try list(limits), requests: try list(requests)))
    }

    @Test func qosClasses() throws {
        let table: [([Container], PodQOSClass)] = [
            ([Container(name: "a", image: "x")], .bestEffort),
            ([try Self.container(["ephemeral-storage": "1Gi"], [:])], .bestEffort),
            ([try Self.container(["cpu": "1", "memory": "1Gi"], ["cpu": "1", "memory": "1Gi"])], .guaranteed),
            ([try Self.container([:], ["cpu": "1", "memory": "1Gi"])], .guaranteed),
            ([try Self.container(["cpu": "1"], ["cpu": "1"])], .burstable),
            ([try Self.container(["cpu": "500m", "memory": "1Gi"], ["cpu": "1", "memory": "1Gi"])], .burstable),
            ([try Self.container(["cpu": "1", "memory": "1Gi"], ["cpu": "1", "memory": "1Gi"]), Container(name: "b", image: "x")], .burstable),
            ([try Self.container(["memory": "0"], [:])], .bestEffort),
        ]
        for (i, (containers, expected)) in table.enumerated() {
            var pod = Pod(spec: PodSpec(containers: containers))
            PodDefaulting.apply(to: &pod, now: Self.now, uid: "u")
            #expect(pod.status.qosClass == expected, "case \(i)")
        }
        var podLevel = Pod(spec: PodSpec(containers: [Container(name: "a", image: "x")],
                                         resources: ResourceRequirements(limits: ["cpu": Quantity(mantissa: 1), "memory": Quantity(mantissa: 1, exponent: 9)])))
        PodDefaulting.apply(to: &podLevel, now: Self.now, uid: "u")
        #expect(podLevel.status.qosClass == .burstable)
    }
}
