import Foundation
import Testing
@testable import SystemSupport

/// What a started thread saw, handed back to the test through a continuation.
private struct Observed: Sendable {
    var kernelName: String
    var isMainThread: Bool
}

/// Runs `SystemThread.start` and waits for its body to report.
private func observe(name: String, stackSize: Int? = nil) async throws -> Observed {
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Observed, any Error>) in
        do {
            try SystemThread.start(name: name, stackSize: stackSize) {
                let comm = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? ""
                continuation.resume(returning: Observed(
                    kernelName: comm.trimmingWhitespaceAndNewlines(), isMainThread: Thread.isMainThread))
            }
        } catch {
            continuation.resume(throwing: error)
        }
    }
}

@Suite struct SystemThreadTests {
    @Test func runsBodyOnANamedThread() async throws {
        let seen = try await observe(name: "swiftlet-http")
        #expect(seen.kernelName == "swiftlet-http")
        #expect(!seen.isMainThread)
    }

    @Test func longNamesAreCutToFifteenBytes() async throws {
        let seen = try await observe(name: "a-name-longer-than-fifteen")
        #expect(seen.kernelName == "a-name-longer-t")
    }

    @Test func cutsOnACharacterBoundary() {
        #expect(SystemThread.kernelName("store-io-0") == "store-io-0")
        #expect(SystemThread.kernelName("waitpid-4194304") == "waitpid-4194304")
        // "é" is two bytes: 14 ASCII bytes then "é" would be 16, so it goes whole.
        #expect(SystemThread.kernelName("abcdefghijklmné") == "abcdefghijklmn")
        #expect(SystemThread.kernelName("") == "")
    }

    @Test func givenStackSizeStarts() async throws {
        let seen = try await observe(name: "store-io-0", stackSize: 256 * 1024)
        #expect(seen.kernelName == "store-io-0")
    }

    /// A stack below pthreads' minimum is refused before any thread exists, and the body never runs.
    @Test func tooSmallStackThrows() {
        #expect(throws: SystemThreadError.self) {
            try SystemThread.start(name: "tiny", stackSize: 1) { Issue.record("body ran") }
        }
        do {
            try SystemThread.start(name: "tiny", stackSize: 1) {}
        } catch {
            #expect(error.code == EINVAL)
        }
    }

    @Test func manyThreadsEachRunTheirOwnBody() async throws {
        let names = try await withThrowingTaskGroup(of: String.self) { group in
            for index in 0..<32 {
                group.addTask { try await observe(name: "worker-\(index)").kernelName }
            }
            var names: Set<String> = []
            for try await name in group { names.insert(name) }
            return names
        }
        #expect(names == Set((0..<32).map { "worker-\($0)" }))
    }

    @Test func errorDescribesTheFailure() {
        let error = SystemThreadError(name: "store-io-0", code: EAGAIN)
        #expect(error.description == "cannot start thread store-io-0: Resource temporarily unavailable")
    }
}
