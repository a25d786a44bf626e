import CRI
import Foundation
import Logging
import Testing

@Suite("CRI client across a containerd restart")
struct ReconnectTests {
    @Test("calls fail fast while containerd is down and work again after it restarts, on the same client")
    func recoversAfterRestart() async throws {
        let containerd = try PrivateContainerd()
        var logger = Logger(label: "cri-reconnect-test")
        logger.logLevel = .warning
        do {
            try await containerd.start()
            let client = try GRPCContainerRuntime(
                endpoint: "unix://\(containerd.socketPath)", logger: logger,
                timeouts: CRITimeouts(read: .seconds(3)))
            do {
                #expect(try await client.version().runtimeName == "containerd")
                #expect(client.connectionsOpened == 1)

                await containerd.kill()
                progress("reconnect: killed")

                // A state-changing call does not wait for the runtime: it fails at once with unavailable.
                let writeStart = ContinuousClock.now
                let writeError = await #expect(throws: CRIError.self) {
                    try await client.removeContainer(id: "anything")
                }
                #expect(writeError?.code == .unavailable, "\(String(describing: writeError))")
                #expect(ContinuousClock.now - writeStart < .seconds(2))

                // A read (retried on unavailable) fails fast too, and says the runtime is not reachable.
                progress("reconnect: write failed fast")
                let readStart = ContinuousClock.now
                let readError = await #expect(throws: CRIError.self) { _ = try await client.version() }
                #expect(readError?.code == .unavailable, "\(String(describing: readError))")
                #expect(readError?.message.contains("is it running?") == true)
                #expect(ContinuousClock.now - readStart < .seconds(2))

                progress("reconnect: read failed")
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
                print("CRI reconnect: version() works again \(ContinuousClock.now - restarted) after containerd restarted")
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
            await containerd.destroy()
            throw error
        }
        await containerd.destroy()
    }
}

/// Progress for long integration tests, on stderr so it is not lost in stdout's buffer when a test hangs.
func progress(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
