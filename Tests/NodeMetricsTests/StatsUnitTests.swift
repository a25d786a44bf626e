import Foundation
import Testing

@testable import NodeStats

/// Parsers and the rate computation, on fixed input.
@Suite struct StatsUnitTests {
    @Test func rateFromTwoSamples() {
        var tracker = CPURateTracker()
        #expect(tracker.rate("c", cumulative: 1_000_000_000, timestampNanos: 10_000_000_000) == nil)
        // 1.5 core-seconds over 2 s: 0.75 cores.
        #expect(tracker.rate("c", cumulative: 2_500_000_000, timestampNanos: 12_000_000_000) == 750_000_000)
        // A counter that went back (container restarted) gives no rate.
        #expect(tracker.rate("c", cumulative: 100, timestampNanos: 13_000_000_000) == nil)
        tracker.endPass()
        tracker.endPass()
        // Forgotten after a pass without it.
        #expect(tracker.rate("c", cumulative: 200, timestampNanos: 14_000_000_000) == nil)
    }

    @Test func netDevAndKeyValues() {
        let netDev = """
        Inter-|   Receive                                                |  Transmit
         face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
            lo:  100       1    0    0    0     0          0         0      100       1    0    0    0     0       0          0
          eth0: 5000      10    2    0    0     0          0         0     7000      12    3    0    0     0       0          0
        """
        let interfaces = KernelFiles.parseNetDev(netDev)
        #expect(interfaces.count == 2)
        #expect(interfaces[1] == InterfaceStats(name: "eth0", rxBytes: 5000, rxErrors: 2, txBytes: 7000, txErrors: 3))
        let values = KernelFiles.parseKeyValues("MemTotal:       16384 kB\ntotal_rss 42\nbad line\n")
        #expect(values["MemTotal"] == 16384)
        #expect(values["total_rss"] == 42)
        #expect(values.count == 2)
        // The byte parser: tabs, no trailing newline, non-numbers, overflow and a lone key are skipped or taken
        // exactly as the kernel writes them.
        let memoryStat = KernelFiles.parseKeyValues(
            "cache 4096\nrss\t8192\nnegative -1\nhuge 99999999999999999999\nlonely\n: 5\ntotal_inactive_file 12")
        #expect(memoryStat == ["cache": 4096, "rss": 8192, "total_inactive_file": 12])
    }

    @Test func singleNumberFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("swiftlet-kf-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        func write(_ name: String, _ text: String) throws -> String {
            let path = directory + "/" + name
            try text.write(toFile: path, atomically: false, encoding: .utf8)
            return path
        }
        #expect(KernelFiles.number(try write("usage", "123456789\n")) == 123_456_789)
        #expect(KernelFiles.number(try write("padded", "  42 \t\n")) == 42)
        #expect(KernelFiles.number(try write("negative", "-1\n")) == nil)
        #expect(KernelFiles.number(try write("words", "max\n")) == nil)
        #expect(KernelFiles.number(try write("empty", "")) == nil)
        #expect(KernelFiles.signedNumber(try write("quota", "-1\n")) == -1)
        #expect(KernelFiles.number(directory + "/missing") == nil)
        // Longer than one read chunk: the reader loops until the end of the file.
        let long = String(repeating: "x", count: 10_000) + "\n"
        #expect(KernelFiles.bytes(try write("long", long))?.count == long.utf8.count)
        // The byte parser of /proc/net/dev skips lines without a full set of 16 numbers.
        let netDev = Array("  eth1: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n short: 1 2 3\n bad: 1 x 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n".utf8)
        #expect(KernelFiles.parseNetDev(netDev) == [InterfaceStats(name: "eth1", rxBytes: 1, rxErrors: 3, txBytes: 9, txErrors: 11)])
    }

    @Test func processStatWithSpacesInName() throws {
        let line = "1234 (my (odd) proc) S 1 1 1 0 -1 4194560 500 0 20 0 300 100 0 0 20 0 7 0 1000 123456 2048 18446744073709551615"
        let sample = try #require(ProcessSample.parse(stat: line, boot: BootTime(secondsSinceEpoch: 1_000_000)))
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        #expect(sample.cpuNanoseconds == UInt64(400 / ticks * 1e9))
        #expect(sample.pageFaults == 520)
        #expect(sample.majorPageFaults == 20)
        #expect(sample.threads == 7)
        #expect(sample.residentBytes == 2048 * UInt64(sysconf(Int32(_SC_PAGESIZE))))
        #expect(sample.startTimeSeconds == 1_000_000 + 1000 / ticks)
    }

    @Test func onlyCPUAndMemoryDropsEverythingElse() throws {
        var node = NodeSummary(nodeName: "n", startTime: "2026-01-01T00:00:00Z")
        node.cpu = CPUStats(time: "t", usageNanoCores: 5, usageCoreNanoSeconds: 10)
        node.fs = FsStats(time: "t")
        var pod = PodSummary(podRef: PodReference(name: "p", namespace: "ns", uid: "u"), startTime: "t")
        var container = ContainerSummary(name: "c", startTime: "t")
        container.rootfs = FsStats(time: "t")
        container.memory = MemoryStats(time: "t")
        pod.containers = [container]
        pod.volume = [VolumeStats(name: "v", pvcRef: nil, fs: FsStats(time: "t"))]
        pod.ephemeralStorage = FsStats(time: "t")
        let reduced = Summary(node: node, pods: [pod]).onlyCPUAndMemory()
        let json = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(reduced)) as? [String: Any])
        let nodeJSON = try #require(json["node"] as? [String: Any])
        #expect(Set(nodeJSON.keys) == ["nodeName", "startTime", "cpu"])
        let podJSON = try #require((json["pods"] as? [[String: Any]])?.first)
        #expect(Set(podJSON.keys) == ["podRef", "startTime", "containers"])
        let containerJSON = try #require((podJSON["containers"] as? [[String: Any]])?.first)
        #expect(Set(containerJSON.keys) == ["name", "startTime", "memory"])
        // The full summary keeps kubelet's key names, ephemeral-storage and the inline volume layout included.
        let full = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(Summary(node: node, pods: [pod]))) as? [String: Any])
        let fullPod = try #require((full["pods"] as? [[String: Any]])?.first)
        #expect(fullPod["ephemeral-storage"] != nil)
        let volume = try #require((fullPod["volume"] as? [[String: Any]])?.first)
        #expect(volume["name"] as? String == "v" && volume["time"] as? String == "t")
    }
}
