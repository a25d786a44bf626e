import Logging
import Synchronization
import Testing

@testable import CRI

/// Drives `AmbiguousCreate` with scripted create/lookup outcomes.
@Suite("Safe create after ambiguous failures")
struct AmbiguousCreateTests {
    final class Script: Sendable {
        let creates: Mutex<[Result<String, CRIError>]>
        let lookups: Mutex<[Result<String?, CRIError>]>
        let createCalls = Atomic<Int>(0)
        let lookupCalls = Atomic<Int>(0)

        init(creates: [Result<String, CRIError>], lookups: [Result<String?, CRIError>]) {
            self.creates = Mutex(creates)
            self.lookups = Mutex(lookups)
        }

        func create() throws -> String {
            createCalls.add(1, ordering: .relaxed)
            return try creates.withLock { $0.removeFirst() }.get()
        }

        func lookup() throws -> String? {
            lookupCalls.add(1, ordering: .relaxed)
            // The last scripted answer repeats (an object that keeps not / keeps existing).
            return try lookups.withLock { $0.count > 1 ? $0.removeFirst() : $0[0] }.get()
        }
    }

    static let unavailable = CRIError(code: .unavailable, message: "Stream unexpectedly closed.", method: "m")
    static let reserved = CRIError(code: .unknown, message: "failed to reserve sandbox name \"x\"", method: "m")
    let logger = Logger(label: "test")

    func run(_ script: Script) async throws -> String {
        try await AmbiguousCreate(method: "m", settleTimeout: .seconds(2), pollInterval: .milliseconds(10))
            .run(logger: logger, create: { try script.create() }, lookup: { try script.lookup() })
    }

    @Test("success needs no lookup")
    func plainSuccess() async throws {
        let script = Script(creates: [.success("id1")], lookups: [.success(nil)])
        #expect(try await run(script) == "id1")
        #expect(script.lookupCalls.load(ordering: .relaxed) == 0)
    }

    @Test("an object created despite the failure is found, not created twice")
    func foundAfterFailure() async throws {
        let script = Script(creates: [.failure(Self.unavailable)], lookups: [.success("existing")])
        #expect(try await run(script) == "existing")
        #expect(script.createCalls.load(ordering: .relaxed) == 1)
    }

    @Test("an object that was never created is created once more")
    func createdAgain() async throws {
        let script = Script(creates: [.failure(Self.unavailable), .success("id2")], lookups: [.success(nil)])
        #expect(try await run(script) == "id2")
        #expect(script.createCalls.load(ordering: .relaxed) == 2)
    }

    @Test("a reserved name means the first create is still running: wait for the object")
    func waitsForInFlightCreate() async throws {
        let script = Script(
            creates: [.failure(Self.unavailable), .failure(Self.reserved)],
            lookups: [.success(nil), .success(nil), .success(nil), .success("late")])
        #expect(try await run(script) == "late")
        #expect(script.createCalls.load(ordering: .relaxed) == 2)
    }

    @Test("a definite failure is thrown as is, without lookup or retry")
    func definiteFailure() async throws {
        let notFound = CRIError(code: .notFound, message: "image not found", method: "m")
        let script = Script(creates: [.failure(notFound)], lookups: [.success("x")])
        await #expect(throws: CRIError.self) { try await run(script) }
        #expect(script.lookupCalls.load(ordering: .relaxed) == 0)
        #expect(script.createCalls.load(ordering: .relaxed) == 1)
    }

    @Test("when the lookup itself fails, the create is not repeated")
    func lookupFails() async throws {
        let script = Script(creates: [.failure(Self.unavailable), .success("dup")], lookups: [.failure(Self.unavailable)])
        await #expect {
            try await run(script)
        } throws: { error in
            (error as? CRIError)?.code == .unavailable
        }
        #expect(script.createCalls.load(ordering: .relaxed) == 1)
    }

    @Test("an object that never appears gives up after the settle timeout with both errors in the message")
    func neverAppears() async throws {
        let script = Script(creates: [.failure(Self.unavailable), .failure(Self.reserved)], lookups: [.success(nil)])
        let error = await #expect(throws: CRIError.self) { try await run(script) }
        #expect(error?.message.contains("reserve") == true)
        #expect(error?.message.contains("Stream unexpectedly closed") == true)
    }
}
