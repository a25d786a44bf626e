import Foundation
import Testing
@testable import KubeTypes

/// Real-world-style pod documents: each must decode strictly, round-trip, and survive defaulting + validation.
@Suite struct CorpusTests {
    static func corpus() throws -> [(name: String, text: String)] {
        let dir = try #require(Bundle.module.url(forResource: "Corpus", withExtension: nil))
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
            .filter { $0.hasSuffix(".yaml") }.sorted()
        return try files.map { ($0, try String(contentsOf: dir.appendingPathComponent($0), encoding: .utf8)) }
    }

    @Test func corpusHasAtLeastTwentyPods() throws {
        #expect(try Self.corpus().count >= 20)
    }

    @Test func everyPodDecodesStrictlyAndRoundTrips() throws {
        for (name, text) in try Self.corpus() {
            let pod: Pod
            do {
                pod = try KubeYAML.decode(Pod.self, from: text)
            } catch {
                Issue.record("\(name): \(error)")
                continue
            }
            let json = try KubeJSON.encode(pod)
            let back = try KubeJSON.decode(Pod.self, from: json)
            #expect(back == pod, "\(name): JSON round trip changed the pod")
            #expect(try KubeJSON.encode(back) == json, "\(name): JSON re-encoding is not stable")
            let yaml = try KubeYAML.encode(pod)
            #expect(try KubeYAML.decode(Pod.self, from: yaml) == pod, "\(name): YAML round trip changed the pod")
        }
    }

    @Test func everyPodSurvivesDefaultingAndValidation() throws {
        for (name, text) in try Self.corpus() {
            var pod = try KubeYAML.decode(Pod.self, from: text)
            PodDefaulting.apply(to: &pod, now: Time(secondsSinceEpoch: 1_714_564_800), uid: "uid-\(name)")
            let errors = PodValidation.validate(pod)
            #expect(errors.isEmpty, "\(name): \(errors.map(\.description))")
            // Defaulting is idempotent: applying it again changes nothing but the recomputed status.
            var again = pod
            PodDefaulting.apply(to: &again, now: Time(secondsSinceEpoch: 1), uid: "other")
            #expect(again == pod, "\(name): defaulting is not idempotent")
        }
    }

    @Test func unknownFieldsAreRejected() throws {
        let text = """
        apiVersion: v1
        kind: Pod
        metadata: {name: x}
        spec:
          containers:
          - name: a
            image: b
            imagePullPolcy: Always
        """
        #expect(throws: (any Error).self) { try KubeYAML.decode(Pod.self, from: text) }
    }

    @Test func keptAsGivenFieldsSurviveExactly() throws {
        let text = try #require(try Self.corpus().first { $0.name.hasPrefix("13-") }?.text)
        let pod = try KubeYAML.decode(Pod.self, from: text)
        let json = String(decoding: try KubeJSON.encode(pod), as: UTF8.self)
        #expect(json.contains("\"tolerationSeconds\":300"))
        #expect(json.contains("\"topologyKey\":\"topology.kubernetes.io/zone\""))
        #expect(pod.spec.affinity?["nodeAffinity"] != nil)
    }
}
