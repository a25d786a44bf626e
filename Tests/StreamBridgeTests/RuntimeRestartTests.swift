import CRI
import Foundation
import ManagedRuntime
import StreamBridge
import TestSupport
import Testing

/// containerd restarting mid-stream ends the user's stream with an error frame, not a hang.
@Suite struct RuntimeRestartTests {
    @Test func restartEndsTheStreamWithAnErrorStatus() async throws {
        let testRuntime = try await TestRuntime.shared()
        // A private containerd: restarting the shared one would break the tests running next to this one.
        let containerd = try await testRuntime.makePrivateContainerd(name: "streamrestart")
        try await containerd.start()
        do {
            try await StreamBed.with("restart", endpoint: containerd.endpoint) { bed in
                let id = try await bed.sleeper()
                // The command marks in the container when it has echoed the first line, so the restart comes after the
                // echo however slow a busy machine makes the client.
                let marker = "/tmp/echoed-\(UUID().uuidString.prefix(6))"
                async let user = bed.user(bed.execURL(id, ["sh", "-c", "read line; echo \"$line\"; touch \(marker); exec cat"],
                                                      stdin: true, stderr: false),
                                          steps: [StreamUser.send(0, "before\n"), StreamUser.wait(1, "before"), StreamUser.readAll],
                                          timeout: 60)
                var echoed = false
                for _ in 0..<400 where !echoed {
                    echoed = (try? await bed.client.execSync(id: id, command: ["test", "-e", marker], timeout: .seconds(5)))?.exitCode == 0
                    if !echoed { try await Task.sleep(for: .milliseconds(100)) }
                }
                #expect(echoed, "the command never echoed the first line")
                try await Task.sleep(for: .milliseconds(500))
                let restarted = ContinuousClock.now
                try await containerd.restart()
                let outcome = try await user
                #expect(outcome.text(1) == "before\n", "\(outcome)")
                let status = outcome.text(3)
                #expect(status.contains("\"status\":\"Failure\"") && status.contains("InternalError"), "\(status)")
                #expect(status.contains("stream server"), "\(status)")
                #expect(outcome.closed && outcome.closeCode == 1011, "\(outcome)")
                // Ended by the restart, not by the client's 60 s timeout.
                #expect(ContinuousClock.now - restarted < .seconds(45))
            }
        } catch {
            await containerd.stop()
            throw error
        }
        await containerd.stop()
    }
}
