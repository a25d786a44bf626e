import CRI
import Foundation
import StreamBridge
import Testing

/// Bounds, idle timeout, and what happens when either side goes away.
@Suite struct LimitsAndFaultsTests {
    @Test func perClientBoundAnswers429AndFreesTheSlot() async throws {
        try await StreamBed.with("limits", configuration: StreamingConfiguration(maxStreams: 8, maxStreamsPerClient: 1)) { bed in
            let id = try await bed.sleeper()
            let url = bed.execURL(id, ["cat"], stdin: true, stderr: false)
            async let holder = bed.user(url, steps: [StreamUser.send(0, "held\n"), StreamUser.wait(1, "held"),
                                                     StreamUser.sleep(3), StreamUser.close, StreamUser.readAll])
            // Give the first stream time to open, then try a second from the same client (address).
            var refused: StreamUser.Outcome?
            for _ in 0..<40 where bed.service.limiter.activeStreams == 0 { try await Task.sleep(for: .milliseconds(100)) }
            refused = try await bed.user(url, steps: [])
            #expect(refused?.status == 429, "\(String(describing: refused))")
            #expect(refused?.error?.contains("TooManyRequests") == true, "\(String(describing: refused))")
            let first = try await holder
            #expect(first.text(1) == "held\n", "\(first)")
            for _ in 0..<50 where bed.service.limiter.activeStreams > 0 { try await Task.sleep(for: .milliseconds(100)) }
            #expect(bed.service.limiter.activeStreams == 0)
            let again = try await bed.user(bed.execURL(id, ["true"]), steps: [StreamUser.readAll])
            #expect(again.status == 101 && again.closed, "\(again)")
        }
    }

    @Test func limiterCountsPerClientAndInTotal() throws {
        let limiter = StreamLimiter(maxTotal: 2, maxPerClient: 1)
        var a: StreamLease? = try limiter.acquire(client: "a")
        #expect(throws: StreamLimiter.Refusal.client(limit: 1)) { try limiter.acquire(client: "a") }
        let b = try limiter.acquire(client: "b")
        #expect(throws: StreamLimiter.Refusal.node(limit: 2)) { try limiter.acquire(client: "c") }
        b.release()
        b.release()
        #expect(limiter.activeStreams == 1)
        a = nil  // dropping a lease gives its slot back
        #expect(a == nil && limiter.activeStreams == 0)
    }

    @Test func idleStreamIsClosed() async throws {
        try await StreamBed.with("idle", configuration: StreamingConfiguration(idleTimeout: .seconds(1))) { bed in
            let id = try await bed.sleeper()
            let outcome = try await bed.user(bed.execURL(id, ["cat"], stdin: true, stderr: false),
                                             steps: [StreamUser.readAll], timeout: 30)
            #expect(outcome.closed && outcome.closeCode == 1000, "\(outcome)")
            // Closed by the 1 s idle timeout, long before the client's own 30 s limit (busy machines included).
            #expect(outcome.elapsed >= 0.9 && outcome.elapsed < 20, "\(outcome.elapsed)")
        }
    }

    @Test func clientGoingAwayClosesTheRuntimeSide() async throws {
        try await StreamBed.with("gone") { bed in
            let id = try await bed.sleeper()
            // The user vanishes without a Close (the script just exits); cat then sees end-of-file and the marker
            // appears, which proves the runtime's side of the stream was closed.
            _ = try await bed.user(bed.execURL(id, ["sh", "-c", "cat; echo ended > /tmp/marker"], stdin: true, stderr: false),
                                   steps: [StreamUser.send(0, "x\n"), StreamUser.wait(1, "x")])
            var marker = ""
            for _ in 0..<100 {
                let result = try await bed.client.execSync(id: id, command: ["cat", "/tmp/marker"], timeout: .seconds(5))
                marker = String(decoding: result.stdout, as: UTF8.self)
                if marker == "ended\n" { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(marker == "ended\n")
            for _ in 0..<50 where bed.service.limiter.activeStreams > 0 { try await Task.sleep(for: .milliseconds(100)) }
            #expect(bed.service.limiter.activeStreams == 0)
        }
    }
}
