import CRI
import Foundation
import Testing
import ManagedRuntime
import TestSupport

@Suite("CRI client across a containerd restart")
struct ReconnectTests {
    @Test("calls fail fast while containerd is down and work again after it restarts, on the same client")
    func recoversAfterRestart() async throws {
        // A private containerd: restarting the shared one would break the tests running next to this one.
        let testRuntime = try await TestRuntime.shared()
        let first = try await testRuntime.makePrivateContainerd(name: "crireconnect")
        // The restart is a second supervisor on the same configuration (same root, state and socket), so the test
        // controls how long containerd stays down.
        let second = ManagedContainerd(
            configuration: first.configuration, logger: TestRuntime.makeLogger("cri-reconnect-containerd"))
        var containerd = first
        do {
            try await containerd.start()
            let client = try GRPCContainerRuntime(
                endpoint: containerd.endpoint, logger: TestRuntime.makeLogger("cri-reconnect-test"),
                timeouts: CRITimeouts(read: .seconds(3)))
            do {
                #expect(try await client.version().runtimeName == "containerd")
                #expect(client.connectionsOpened == 1)

                await containerd.stop()
                progress("reconnect: containerd stopped")

                // A state-changing call does not wait for the runtime: it fails at once with unavailable.
                let writeStart = ContinuousClock.now
                let writeError = await #expect(throws: CRIError.self) {
                    try await client.removeContainer(id: "anything")
                }
                #expect(writeError?.code == .unavailable, "\(String(describing: writeError))")
                #expect(ContinuousClock.now - writeStart < .seconds(2))

                // A read (retried on unavailable) fails fast too, and says the runtime is not reachable.
                let readStart = ContinuousClock.now
                let readError = await #expect(throws: CRIError.self) { _ = try await client.version() }
                #expect(readError?.code == .unavailable, "\(String(describing: readError))")
                #expect(readError?.message.contains("is it running?") == true)
                #expect(ContinuousClock.now - readStart < .seconds(2))
                progress("reconnect: calls failed fast")

                containerd = second
                try await containerd.start()
                let restarted = ContinuousClock.now
                var recovered = false
                while ContinuousClock.now - restarted < .seconds(15) {
                    if (try? await client.version()) != nil {
                        recovered = true
                        break
                    }
                    try await Task.sleep(for: .milliseconds(100))
                }
                progress("CRI reconnect: version() works again \(ContinuousClock.now - restarted) after containerd was ready")
                #expect(recovered, "client did not recover within 15 s of the restart")
                #expect(client.connectionsOpened == 2)
                // Mutating calls work again too (removing an unknown container is a no-op).
                try await client.removeContainer(id: "unknown-container-id")
            } catch {
                await client.close()
                throw error
            }
            await client.close()
        } catch {
            await first.stop()
            await second.stop()
            throw error
        }
        await first.stop()
        await second.stop()
    }
}
