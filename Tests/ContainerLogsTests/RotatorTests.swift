import Foundation
import Synchronization
import Testing
@testable import ContainerLogs

/// A clock for rotated-file names that advances one second per call.
final class SteppingClock: Sendable {
    private let next = Mutex(LogTimestamp(seconds: 1_795_923_491))
    private let step: Int64
    init(step: Int64 = 1) { self.step = step }
    func now() -> LogTimestamp {
        next.withLock { value in
            defer { value = value.adding(seconds: step) }
            return value
        }
    }
}

@Suite("Rotating container logs")
struct RotatorTests {
    static let policy = try! LogRotationPolicy(maxSize: 1024, maxFiles: 4)

    /// Appends `count` lines tagged with `generation` (about 70 bytes each).
    static func grow(_ path: String, generation: Int, count: Int = 20) throws {
        var text = ""
        for i in 0..<count { text += cri(at(Int64(generation * 100 + i)), .stdout, "F", "gen \(generation) line \(i) ...............") }
        try LogWriter(path: path).write(text)
    }

    @Test func belowTheSizeLimitNothingHappens() async throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("0.log")
        try Self.grow(path, generation: 0, count: 3)
        let reopener = FakeReopener(paths: ["c1": path])
        let rotator = ContainerLogRotator(policy: Self.policy, reopener: reopener, now: SteppingClock().now)
        await rotator.register(containerID: "c1", logPath: path)
        #expect(await rotator.rotateNow() == [.unchanged(containerID: "c1")])
        #expect(reopener.calls.isEmpty)
        #expect(try listing(dir.path) == ["0.log"])
    }

    @Test(.enabled(if: LogCompression.isAvailable, "needs the CZlib target"))
    func renamesReopensCompressesOlderAndPrunes() async throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("0.log")
        let reopener = FakeReopener(paths: ["c1": path])
        let rotator = ContainerLogRotator(policy: Self.policy, reopener: reopener, now: SteppingClock().now)
        await rotator.register(containerID: "c1", logPath: path)

        try Self.grow(path, generation: 0)
        #expect(await rotator.rotateNow() == [.rotated(containerID: "c1", rotatedPath: path + ".20261129-033811")])
        #expect(reopener.calls == ["c1"])
        #expect(try listing(dir.path) == ["0.log", "0.log.20261129-033811"])
        #expect(try readText(path) == "", "the fake runtime created a new, empty live file")

        for generation in 1...5 {
            try Self.grow(path, generation: generation)
            let outcome = await rotator.rotateNow()
            guard case .rotated = outcome.first else {
                Issue.record("generation \(generation): \(outcome)")
                return
            }
        }
        try Self.grow(path, generation: 6, count: 2)
        // maxFiles 4: the live file, the newest rotated file uncompressed, two older ones compressed.
        let files = try listing(dir.path)
        #expect(files == ["0.log", "0.log.20261129-033814.gz", "0.log.20261129-033815.gz", "0.log.20261129-033816"])
        #expect(reopener.calls.count == 6)
        // The history reads back in order across the compressed, plain and live files.
        let text = try await readAll(path)
        let generations = text.split(separator: "\n").map { $0.split(separator: " ")[1] }
        #expect(generations.first == "3")
        #expect(generations.last == "6")
        #expect(text.split(separator: "\n").count == 20 * 3 + 2)
        #expect(try await readAll(path, LogReadOptions(tailLines: 3))
                == "gen 5 line 19 ...............\ngen 6 line 0 ...............\ngen 6 line 1 ...............\n")
    }

    @Test func aFailedReopenIsUndoneAndReported() async throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("0.log")
        try Self.grow(path, generation: 0)
        let before = try readText(path)
        let reopener = FakeReopener(paths: ["c1": path])
        reopener.setFailing(true)
        let rotator = ContainerLogRotator(policy: Self.policy, reopener: reopener, now: SteppingClock().now)
        await rotator.register(containerID: "c1", logPath: path)
        let outcome = await rotator.rotateNow()
        #expect(outcome == [.failed(containerID: "c1",
                                    error: .reopenFailed(containerID: "c1", message: "runtime said no"))])
        #expect(try listing(dir.path) == ["0.log"])
        #expect(try readText(path) == before)
        // The next pass, with a working runtime, rotates it.
        reopener.setFailing(false)
        #expect(await rotator.rotateNow() == [.rotated(containerID: "c1", rotatedPath: path + ".20261129-033812")])
    }

    @Test func aMissingLiveFileIsRecreatedThroughReopen() async throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("0.log")
        let reopener = FakeReopener(paths: ["c1": path])
        let rotator = ContainerLogRotator(policy: Self.policy, reopener: reopener, now: SteppingClock().now)
        await rotator.register(containerID: "c1", logPath: path)
        #expect(await rotator.rotateNow() == [.recreated(containerID: "c1")])
        #expect(exists(path))
        reopener.setFailing(true)
        try FileManager.default.removeItem(atPath: path)
        guard case .failed(_, .reopenFailed) = await rotator.rotateNow().first else {
            Issue.record("expected a reopen failure")
            return
        }
    }

    @Test func rotationsWithinOneSecondGetDistinctNames() async throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("0.log")
        let reopener = FakeReopener(paths: ["c1": path])
        let policy = try LogRotationPolicy(maxSize: 1024, maxFiles: 10)
        let rotator = ContainerLogRotator(policy: policy, reopener: reopener, now: SteppingClock(step: 0).now)
        await rotator.register(containerID: "c1", logPath: path)
        for generation in 0..<3 {
            try Self.grow(path, generation: generation)
            await rotator.rotateNow()
        }
        let rotated = try listing(dir.path).filter { $0 != "0.log" }.map { $0.replacingOccurrences(of: ".gz", with: "") }.sorted()
        #expect(rotated == ["0.log.20261129-033811", "0.log.20261129-033811-1", "0.log.20261129-033811-2"])
        let generations = try await readAll(path).split(separator: "\n").map { $0.split(separator: " ")[1] }
        #expect(generations == Array(repeating: "0", count: 20) + Array(repeating: "1", count: 20)
                + Array(repeating: "2", count: 20))
    }

    @Test func leftoversFromAnInterruptedCompressionAreCleanedUp() async throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("0.log")
        try writeFile(path + ".20261129-033700.gz.tmp", "half a gzip")
        try writeFile(path + ".20261129-033701.gz", "complete copy")
        try writeFile(path + ".20261129-033701", "plain original not yet unlinked")
        try Self.grow(path, generation: 0)
        let reopener = FakeReopener(paths: ["c1": path])
        let rotator = ContainerLogRotator(policy: Self.policy, reopener: reopener, now: SteppingClock().now)
        await rotator.register(containerID: "c1", logPath: path)
        await rotator.rotateNow()
        #expect(try listing(dir.path) == ["0.log", "0.log.20261129-033701.gz", "0.log.20261129-033811"])
    }

    @Test func unregisteredContainersAreLeftAlone() async throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("0.log")
        try Self.grow(path, generation: 0)
        let reopener = FakeReopener(paths: ["c1": path])
        let rotator = ContainerLogRotator(policy: Self.policy, reopener: reopener, now: SteppingClock().now)
        await rotator.register(containerID: "c1", logPath: path)
        await rotator.unregister(containerID: "c1")
        #expect(await rotator.rotateNow().isEmpty)
        #expect(try listing(dir.path) == ["0.log"])
    }

    @Test func thePeriodicLoopRotatesAndStopsOnCancel() async throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("0.log")
        try Self.grow(path, generation: 0)
        let reopener = FakeReopener(paths: ["c1": path])
        let rotator = ContainerLogRotator(policy: Self.policy, reopener: reopener, now: SteppingClock().now)
        await rotator.register(containerID: "c1", logPath: path)
        let loop = Task { await rotator.run(every: .milliseconds(20)) }
        let deadline = ContinuousClock.now + .seconds(5)
        while reopener.calls.isEmpty && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        try Self.grow(path, generation: 1)
        while reopener.calls.count < 2 && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        loop.cancel()
        await loop.value
        #expect(reopener.calls == ["c1", "c1"])
    }

    @Test func policyValidation() {
        #expect(throws: ContainerLogError.self) { try LogRotationPolicy(maxSize: 0) }
        #expect(throws: ContainerLogError.self) { try LogRotationPolicy(maxFiles: 1) }
        #expect(LogRotationPolicy.default.maxSize == 10 * 1024 * 1024)
        #expect(LogRotationPolicy.default.maxFiles == 5)
    }
}
