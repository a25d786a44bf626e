import Foundation
import StreamBridge
import Testing

/// Exec over the bridge against the real containerd, with a real WebSocket client.
@Suite struct ExecStreamTests {
    @Test func stdinEchoesThroughCatOverV4() async throws {
        try await StreamBed.with("exec-cat") { bed in
            let id = try await bed.sleeper()
            let outcome = try await bed.user(bed.execURL(id, ["cat"], stdin: true, stderr: false),
                                             steps: [StreamUser.send(0, "hello swiftlet\n"), StreamUser.wait(1, "hello swiftlet"),
                                                     StreamUser.close, StreamUser.readAll])
            #expect(outcome.status == 101, "\(outcome)")
            #expect(outcome.subprotocol == "v4.channel.k8s.io")
            #expect(outcome.text(1) == "hello swiftlet\n", "\(outcome)")
            #expect(outcome.error == nil, "\(outcome)")
        }
    }

    @Test func exitCodeArrivesOnTheStatusChannel() async throws {
        try await StreamBed.with("exec-exit") { bed in
            let id = try await bed.sleeper()
            let outcome = try await bed.user(bed.execURL(id, ["sh", "-c", "echo out; echo err >&2; exit 7"]),
                                             steps: [StreamUser.readAll])
            #expect(outcome.text(1) == "out\n", "\(outcome)")
            #expect(outcome.text(2) == "err\n", "\(outcome)")
            let status = try #require(try JSONSerialization.jsonObject(with: Data(outcome.text(3).utf8)) as? [String: Any])
            #expect(status["status"] as? String == "Failure")
            #expect(status["reason"] as? String == "NonZeroExitCode")
            let causes = (status["details"] as? [String: Any])?["causes"] as? [[String: Any]]
            #expect(causes?.first?["reason"] as? String == "ExitCode")
            #expect(causes?.first?["message"] as? String == "7")
            #expect(outcome.closed && outcome.closeCode == 1000, "\(outcome)")
        }
    }
}
