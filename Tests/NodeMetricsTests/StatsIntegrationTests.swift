import Foundation
import KubeTypes
import NodeMetrics
import NodeStats
import Testing

/// `/stats/summary` and the metrics endpoints against pods running on the real containerd: values, JSON shape,
/// promtool on every endpoint, OpenMetrics, and a real Prometheus scraping all four jobs.
@Suite struct StatsIntegrationTests {
    /// promtool's naming lint findings allowed because kubelet uses these exact names.
    static let kubeletNamesPromtoolDislikes = [
        "kubelet_evictions counter metrics should have \"_total\" suffix",
        "container_last_seen ",
    ]

    static func burner(_ bed: StatsBed) -> Container {
        Container(name: "burn", image: bed.testRuntime.busyboxImage, command: ["sh", "-c", "while :; do :; done"])
    }

    /// Fills a memory-backed emptyDir with 64 MiB, which is charged to the container's memory cgroup.
    static func holder(_ bed: StatsBed) -> Container {
        Container(
            name: "hold", image: bed.testRuntime.busyboxImage,
            command: ["sh", "-c", "head -c 67108864 /dev/zero > /data/blob && exec sleep 3600"],
            volumeMounts: [VolumeMount(name: "mem", mountPath: "/data")],
            readinessProbe: Probe(exec: ExecAction(command: ["true"]), periodSeconds: 1))
    }

    @Test(.timeLimit(.minutes(4)))
    func summaryValuesShapeAndEveryMetricsEndpoint() async throws {
        try await StatsBed.with("stats") { bed in
            let burn = try await bed.run("burn", containers: [Self.burner(bed)])
            let hold = try await bed.run("hold", containers: [Self.holder(bed)],
                                         volumes: [Volume(name: "mem", emptyDir: EmptyDirVolumeSource(medium: "Memory"))])
            try await bed.waitRunning([burn, hold])
            // Two passes 2 s apart give every container a usageNanoCores; the hold pod has written its 64 MiB by then.
            try await Task.sleep(for: .seconds(2))
            await bed.collector.refresh()
            try await Task.sleep(for: .seconds(2))
            await bed.collector.refresh()

            let reply = try await bed.get("/stats/summary", token: "token-metrics")
            #expect(reply.status == 200, "\(reply.body)")
            #expect(reply.contentType.hasPrefix("application/json"))
            let summary = try JSONDecoder().decode(Summary.self, from: Data(reply.body.utf8))
            let json = try #require(try JSONSerialization.jsonObject(with: Data(reply.body.utf8)) as? [String: Any])

            // Node: every section kubelet reports.
            let node = try #require(json["node"] as? [String: Any])
            for key in ["nodeName", "startTime", "cpu", "memory", "fs", "runtime", "rlimit", "systemContainers"] {
                #expect(node[key] != nil, "node.\(key) missing")
            }
            #expect(summary.node.nodeName == "stats-node")
            #expect((summary.node.cpu?.usageNanoCores ?? 0) > 0)
            #expect((summary.node.memory?.workingSetBytes ?? 0) > 0)
            #expect((summary.node.fs?.capacityBytes ?? 0) > 0)
            #expect((summary.node.runtime?.imageFs?.capacityBytes ?? 0) > 0)
            #expect((summary.node.rlimit?.maxpid ?? 0) > 0)
            let systemNames = Set(summary.node.systemContainers?.map(\.name) ?? [])
            #expect(systemNames == ["kubelet", "runtime"])

            // Pods: exactly the test's two, found by name.
            #expect(summary.pods.count == 2)
            let burnPod = try #require(summary.pods.first { $0.podRef.name == burn.metadata.name })
            let holdPod = try #require(summary.pods.first { $0.podRef.name == hold.metadata.name })
            #expect(burnPod.podRef.uid == burn.metadata.uid)
            let burnContainer = try #require(burnPod.containers.first { $0.name == "burn" })
            // One busy-looping shell is one core; on a busy 2-core machine it may get somewhat less.
            let cores = Double(burnContainer.cpu?.usageNanoCores ?? 0) / 1e9
            #expect(cores > 0.5 && cores < 1.2, "burn container at \(cores) cores")
            let podCores = Double(burnPod.cpu?.usageNanoCores ?? 0) / 1e9
            #expect(podCores > 0.5 && podCores < 1.25, "burn pod at \(podCores) cores")
            #expect((burnContainer.rootfs?.capacityBytes ?? 0) > 0)
            #expect(burnContainer.logs != nil)
            #expect((burnPod.network?.interfaces.first?.name ?? "").isEmpty == false, "pod network missing")
            let holdContainer = try #require(holdPod.containers.first { $0.name == "hold" })
            let workingSet = holdContainer.memory?.workingSetBytes ?? 0
            #expect(workingSet >= 64 << 20 && workingSet < 200 << 20, "hold working set \(workingSet)")
            #expect((holdPod.memory?.workingSetBytes ?? 0) >= workingSet)
            let volume = try #require(holdPod.volume?.first { $0.name == "mem" })
            #expect((volume.fs.usedBytes ?? 0) >= 64 << 20)
            #expect((holdPod.ephemeralStorage?.usedBytes ?? 0) >= 64 << 20)
            let holdJSON = try #require((json["pods"] as? [[String: Any]])?.first {
                ($0["podRef"] as? [String: Any])?["name"] as? String == hold.metadata.name
            })
            for key in ["podRef", "startTime", "containers", "cpu", "memory", "volume", "ephemeral-storage"] {
                #expect(holdJSON[key] != nil, "pod.\(key) missing")
            }
            let holdContainerJSON = try #require((holdJSON["containers"] as? [[String: Any]])?.first)
            for key in ["name", "startTime", "cpu", "memory", "rootfs", "logs"] {
                #expect(holdContainerJSON[key] != nil, "container.\(key) missing")
            }

            // only_cpu_and_memory: the reduced shape.
            let reduced = try await bed.get("/stats/summary?only_cpu_and_memory=true", token: "token-viewer")
            #expect(reduced.status == 200)
            let reducedJSON = try #require(try JSONSerialization.jsonObject(with: Data(reduced.body.utf8)) as? [String: Any])
            let reducedNode = try #require(reducedJSON["node"] as? [String: Any])
            #expect(reducedNode["fs"] == nil && reducedNode["network"] == nil && reducedNode["runtime"] == nil)
            #expect(reducedNode["cpu"] != nil && reducedNode["memory"] != nil)
            for pod in try #require(reducedJSON["pods"] as? [[String: Any]]) {
                #expect(Set(pod.keys).isSubset(of: ["podRef", "startTime", "containers", "cpu", "memory"]), "\(pod.keys)")
            }
            #expect(try await bed.get("/stats/summary?only_cpu_and_memory=maybe", token: "token-admin").status == 400)

            // Every metrics endpoint parses with promtool, in text format.
            for path in ["/metrics", "/metrics/cadvisor", "/metrics/resource", "/metrics/probes"] {
                let metrics = try await bed.get(path, token: "token-metrics")
                #expect(metrics.status == 200)
                #expect(metrics.contentType == "text/plain; version=0.0.4; charset=utf-8")
                let problems = try await promtoolProblems(metrics.body + "\n", allowedLint: Self.kubeletNamesPromtoolDislikes)
                #expect(problems.isEmpty, "\(path): \(problems)")
            }

            // cAdvisor series carry the right labels and values.
            let cadvisor = try await bed.get("/metrics/cadvisor", token: "token-metrics").body
            let burnCPU = try #require(cadvisor.split(separator: "\n").first {
                $0.hasPrefix("container_cpu_usage_seconds_total{container=\"burn\"") && $0.contains("pod=\"\(burn.metadata.name ?? "")\"")
            })
            #expect(burnCPU.contains("namespace=\"default\"") && burnCPU.contains("image=\"") && burnCPU.contains("id=\"/k8s.io/"))
            #expect(cadvisor.contains("machine_cpu_cores "))
            #expect(cadvisor.contains("container_memory_working_set_bytes{container=\"hold\""))
            let resource = try await bed.get("/metrics/resource", token: "token-metrics").body
            #expect(resource.contains("pod_cpu_usage_seconds_total{namespace=\"default\",pod=\"\(burn.metadata.name ?? "")\"}"))
            #expect(resource.contains("scrape_error 0\n"))

            // Swiftlet's own metrics saw the runtime calls, the pod starts and the HTTP requests.
            let own = try await bed.get("/metrics", token: "token-metrics").body
            #expect(own.contains("kubelet_runtime_operations_total{operation_type=\"run_podsandbox\"} 2\n"))
            #expect(own.contains("kubelet_started_pods_total 2\n"))
            #expect(own.contains("kubelet_started_containers_total{container_type=\"container\"} 2\n"))
            #expect(own.contains("kubelet_running_pods 2\n"))
            #expect(own.contains("kubelet_running_containers{container_state=\"running\"} 2\n"))
            #expect(own.contains("kubelet_pod_start_duration_seconds_count 2\n"))
            #expect(own.contains("kubelet_http_requests_total{method=\"get\",path=\"/metrics/cadvisor\",server_type=\"readwrite\",long_running=\"false\"}"))
            #expect(own.contains("process_resident_memory_bytes "))
            #expect(own.contains("swiftlet_build_info{version=\"test\""))
            let probes = try await bed.get("/metrics/probes", token: "token-metrics").body
            #expect(probes.contains("prober_probe_total{probe_type=\"Readiness\",result=\"successful\",container=\"hold\""), "\(probes)")

            // OpenMetrics when asked for.
            let om = try await bed.get("/metrics/cadvisor", token: "token-metrics",
                                       accept: "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5")
            #expect(om.contentType == "application/openmetrics-text; version=1.0.0; charset=utf-8")
            #expect(om.body.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("# EOF"))
            #expect(om.body.contains("# TYPE container_cpu_usage_seconds counter"))

            // /spec and /configz.
            let spec = try await bed.get("/spec", token: "token-viewer")
            #expect(spec.status == 200)
            let specJSON = try #require(try JSONSerialization.jsonObject(with: Data(spec.body.utf8)) as? [String: Any])
            #expect((specJSON["num_cores"] as? Int ?? 0) >= 1)
            #expect((specJSON["container_runtime_version"] as? String ?? "").hasPrefix("containerd://"))
            #expect(specJSON["swiftlet_version"] as? String == "test")
            #expect(!(specJSON["kernel_version"] as? String ?? "").isEmpty)

            try await PrometheusScrape.check(bed: bed, burnPod: burn.metadata.name ?? "")
        }
    }

    /// Who may read what: stats and metrics for metrics/viewer/admin, spec for viewer/admin, configz for admin only.
    @Test(.timeLimit(.minutes(2)))
    func authorizationMatrix() async throws {
        try await StatsBed.with("statsauth") { bed in
            await bed.collector.refresh()
            // Columns: admin, viewer, metrics, no role, anonymous.
            let expectations: [(String, [Int])] = [
                ("/stats/summary", [200, 200, 200, 403, 401]),
                ("/metrics", [200, 200, 200, 403, 401]),
                ("/metrics/cadvisor", [200, 200, 200, 403, 401]),
                ("/metrics/resource", [200, 200, 200, 403, 401]),
                ("/metrics/probes", [200, 200, 200, 403, 401]),
                ("/spec", [200, 200, 403, 403, 401]),
                ("/configz", [200, 403, 403, 403, 401]),
            ]
            let tokens: [String?] = ["token-admin", "token-viewer", "token-metrics", "token-norole", nil]
            for (path, codes) in expectations {
                for (token, code) in zip(tokens, codes) {
                    let reply = try await bed.get(path, token: token)
                    #expect(reply.status == code, "\(path) with \(token ?? "no token"): \(reply.status) \(reply.body.prefix(200))")
                }
            }
            let configz = try await bed.get("/configz", token: "token-admin")
            #expect(configz.body.contains("\"kubeletconfig\""))
        }
    }
}
