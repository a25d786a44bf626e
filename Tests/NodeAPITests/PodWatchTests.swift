import Foundation
import KubeTypes
import NodeAPI
import Testing

/// `GET /pods?watch=true` over real TLS with curl reading the chunked stream.
@Suite struct PodWatchTests {
    /// A curl process streaming a watch until the server ends it (timeoutSeconds) or `--max-time` passes.
    final class WatchClient: @unchecked Sendable {
        let process = Process()
        let output = Pipe()

        init(node: TestNode, path: String) throws {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
            process.arguments = ["-s", "-N", "--max-time", "30", "--cacert", node.pki.caCertificate,
                                 "-H", "Authorization: Bearer token-admin", "https://127.0.0.1:\(node.port)\(path)"]
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
        }

        /// Waits for the stream to end and returns its events as (type, object) pairs.
        func events() async throws -> [(type: String, object: JSONValue)] {
            let (output, process) = (self.output, self.process)
            let data = try await offPool {
                let data = output.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                return data
            }
            return try String(decoding: data, as: UTF8.self).split(separator: "\n").map { line in
                let event = try KubeJSON.parse(Array(line.utf8))
                guard case let .string(type)? = event["type"], let object = event["object"] else {
                    throw CancellationError()
                }
                return (type, object)
            }
        }
    }

    static func pod(_ name: String, labels: String = #"{"app":"web"}"#) -> String {
        #"{"metadata":{"name":"\#(name)","labels":\#(labels)},"spec":{"containers":[{"name":"a","image":"busybox:1.35"}]}}"#
    }

    @Test func streamsAddedModifiedDeletedAndEndsAtTimeout() async throws {
        try await withPodAPI { api in
            #expect(try await api.send("POST", "/pods", body: Self.pod("existing")).status == 201)
            let started = ContinuousClock.now
            // Long enough for two curl requests on a busy machine to land inside the watch.
            let watch = try WatchClient(node: api.node, path: "/pods?watch=true&timeoutSeconds=8")
            try await Task.sleep(for: .milliseconds(500))
            #expect(try await api.send("POST", "/pods", body: Self.pod("fresh")).status == 201)
            #expect(try await api.send("DELETE", "/pods/default/fresh").status == 200)
            let events = try await watch.events()
            let elapsed = ContinuousClock.now - started
            #expect(elapsed >= .seconds(7) && elapsed < .seconds(25), "the watch should end at its 8 s timeout, took \(elapsed)")
            let summary = events.map { "\($0.type) \($0.object["metadata"]?["name"].map { "\($0)" } ?? "")" }
            #expect(events.first?.type == "ADDED")
            #expect(events.first?.object["metadata"]?["name"] == .string("existing"))
            #expect(events.contains { $0.type == "ADDED" && $0.object["metadata"]?["name"] == .string("fresh") }, "\(summary)")
            #expect(events.contains { $0.type == "MODIFIED" && $0.object["metadata"]?["name"] == .string("fresh") }, "\(summary)")
            #expect(events.last?.type == "DELETED", "\(summary)")
        }
    }

    @Test func resumesFromAResourceVersion() async throws {
        try await withPodAPI { api in
            let first = try json(try await api.send("POST", "/pods", body: Self.pod("one")).body)
            guard case let .string(version)? = first["metadata"]?["resourceVersion"] else { Issue.record("no version"); return }
            #expect(try await api.send("POST", "/pods", body: Self.pod("two")).status == 201)
            let events = try await WatchClient(node: api.node, path: "/pods?watch=1&resourceVersion=\(version)&timeoutSeconds=1").events()
            #expect(events.map(\.type) == ["ADDED"])
            #expect(events.first?.object["metadata"]?["name"] == .string("two"))
        }
    }

    @Test func tooOldVersionGets410Expired() async throws {
        try await withPodAPI(historyLimit: 3) { api in
            let first = try json(try await api.send("POST", "/pods", body: Self.pod("p0")).body)
            guard case let .string(version)? = first["metadata"]?["resourceVersion"] else { Issue.record("no version"); return }
            for index in 1...6 {
                #expect(try await api.send("POST", "/pods", body: Self.pod("p\(index)")).status == 201)
            }
            let events = try await WatchClient(node: api.node, path: "/pods?watch=true&resourceVersion=\(version)&timeoutSeconds=2").events()
            #expect(events.count == 1)
            #expect(events.first?.type == "ERROR")
            #expect(events.first?.object["code"] == .int(410))
            #expect(events.first?.object["reason"] == .string("Expired"))
        }
    }

    @Test func selectorsApplyToWatchesAsTransitions() async throws {
        try await withPodAPI { api in
            #expect(try await api.send("POST", "/pods", body: Self.pod("web-1")).status == 201)
            #expect(try await api.send("POST", "/pods", body: Self.pod("db-1", labels: #"{"app":"db"}"#)).status == 201)
            let events = try await WatchClient(node: api.node, path: "/pods?watch=true&labelSelector=app%3Dweb&timeoutSeconds=1").events()
            #expect(events.map(\.type) == ["ADDED"])
            #expect(events.first?.object["metadata"]?["name"] == .string("web-1"))
        }
    }
}
