import Foundation
import Synchronization
import Testing
@testable import ContainerLogs

/// A boolean shared between a writer task and the follower's `isTerminated` predicate.
final class Flag: Sendable {
    private let value = Mutex(false)
    func set() { value.withLock { $0 = true } }
    var isSet: Bool { value.withLock { $0 } }
}

/// Monotonic nanoseconds, comparable across tasks (written into lines to measure delivery latency).
func monotonicNanos() -> Int64 {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec)
}

/// Appends CRI lines with O_APPEND, as containerd does.
final class LogWriter: Sendable {
    let path: String
    private let fd: Int32

    init(path: String) throws {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o640)
        try #require(fd >= 0)
    }

    deinit { close(fd) }

    func write(_ text: String) {
        var bytes = Array(text.utf8)
        let n = bytes.withUnsafeMutableBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        precondition(n == bytes.count)
    }
}

/// Follows `path` in a child task until `done(lines)` or the stream ends, with a watchdog; returns the lines
/// received and, for each, the monotonic time it arrived.
func follow(_ path: String, _ options: LogReadOptions = LogReadOptions(follow: true),
            configuration: ContainerLogReader.Configuration = ContainerLogReader.Configuration(terminationCheckInterval: .milliseconds(50)),
            terminated: Flag = Flag(), timeout: Duration = .seconds(10),
            started: Flag? = nil,
            until done: @escaping @Sendable ([String]) -> Bool = { _ in false }) async throws -> (lines: [String], arrivals: [Int64], ended: Bool) {
    let consumer = Task { () throws -> ([String], [Int64], Bool) in
        let stream = try ContainerLogReader(path: path, configuration: configuration)
            .open(options) { terminated.isSet }
        started?.set()
        var lines: [String] = []
        var arrivals: [Int64] = []
        var pending: [UInt8] = []
        for try await chunk in stream {
            let now = monotonicNanos()
            pending += chunk
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                lines.append(String(decoding: pending[..<newline], as: UTF8.self))
                arrivals.append(now)
                pending.removeSubrange(...newline)
            }
            if done(lines) { return (lines, arrivals, false) }
        }
        if !pending.isEmpty {
            // Output cut by limitBytes: the last line has no newline.
            lines.append(String(decoding: pending, as: UTF8.self))
            arrivals.append(monotonicNanos())
        }
        return (lines, arrivals, !Task.isCancelled)
    }
    let watchdog = Task {
        try await Task.sleep(for: timeout)
        consumer.cancel()
    }
    defer { watchdog.cancel() }
    return try await consumer.value
}

@Suite("Following a container log", .serialized)
struct FollowTests {
    @Test func newLinesArriveWithin100Milliseconds() async throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("0.log")
        try writeFile(path, cri(at(0), .stdout, "F", "before"))
        let started = Flag()
        let writer = Task {
            let log = try LogWriter(path: path)
            while !started.isSet { try await Task.sleep(for: .milliseconds(5)) }
            try await Task.sleep(for: .milliseconds(50))
            for i in 0..<20 {
                log.write(cri(LogTimestamp.now(), .stdout, "F", "line \(i) at \(monotonicNanos())"))
                try await Task.sleep(for: .milliseconds(25))
            }
        }
        let result = try await follow(path, started: started) { $0.count == 21 }
        try await writer.value
        #expect(result.lines.first == "before")
        try #require(result.lines.count == 21)
        var latencies: [Int64] = []
        for (i, line) in result.lines.dropFirst().enumerated() {
            let fields = line.split(separator: " ")
            #expect(fields.prefix(2).joined(separator: " ") == "line \(i)")
            let written = try #require(Int64(fields.last ?? ""))
            latencies.append((result.arrivals[i + 1] - written) / 1_000_000)
        }
        latencies.sort()
        // inotify delivery: typically well under 10 ms. p90 against the ~100 ms requirement, max with slack
        // for a loaded 2-core machine running other suites in parallel.
        #expect(latencies[latencies.count * 9 / 10] < 100, "latencies ms: \(latencies)")
        #expect(latencies.last ?? 0 < 500, "latencies ms: \(latencies)")
    }

    @Test func followContinuesAcrossRotationAndEndsWhenTerminatedAndDrained() async throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("0.log")
        try writeFile(path, "")
        let started = Flag()
        let terminated = Flag()
        let writer = Task {
            while !started.isSet { try await Task.sleep(for: .milliseconds(5)) }
            let old = try LogWriter(path: path)
            for i in 0..<30 {
                old.write(cri(at(Int64(i)), .stdout, "F", "line \(i)"))
                try await Task.sleep(for: .milliseconds(3))
            }
            // The runtime's rotation: rename, then ReopenContainerLog creates a new file at the same path.
            // A joined line is split across the two files, and one line lands in the old file late.
            old.write(cri(at(30), .stdout, "P", "split "))
            try FileManager.default.moveItem(atPath: path, toPath: path + ".20261129-033811")
            let new = try LogWriter(path: path)
            old.write(cri(at(31), .stderr, "F", "late"))
            new.write(cri(at(32), .stdout, "F", "across"))
            for i in 33..<60 {
                new.write(cri(at(Int64(i)), .stdout, "F", "line \(i)"))
                try await Task.sleep(for: .milliseconds(3))
            }
            terminated.set()
        }
        let start = ContinuousClock.now
        let result = try await follow(path, terminated: terminated, started: started)
        try await writer.value
        #expect(result.ended, "the stream ended by itself, not by the watchdog")
        #expect(ContinuousClock.now - start < .seconds(5))
        let expectedOrder = (0..<30).map { "line \($0)" } + ["split across"] + (33..<60).map { "line \($0)" }
        #expect(result.lines.filter { $0 != "late" } == expectedOrder)
        #expect(result.lines.contains("late"))
    }

    @Test func aTerminatedContainerEndsOnceTheFileIsDrained() async throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("0.log")
        try writeFile(path, "")
        let started = Flag()
        let terminated = Flag()
        let writer = Task {
            while !started.isSet { try await Task.sleep(for: .milliseconds(1)) }
            let log = try LogWriter(path: path)
            var batch = ""
            for i in 0..<5000 {
                batch += cri(at(Int64(i)), i % 2 == 0 ? .stdout : .stderr, "F", "line \(i)")
                if i % 500 == 499 {
                    log.write(batch)
                    batch = ""
                }
            }
            terminated.set()
        }
        let result = try await follow(path, terminated: terminated, started: started)
        try await writer.value
        #expect(result.ended)
        #expect(result.lines == (0..<5000).map { "line \($0)" })
    }

    @Test func anAlreadyTerminatedContainerEndsRightAway() async throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("0.log")
        try writeFile(path, cri(at(0), .stdout, "F", "a") + cri(at(1), .stdout, "F", "b") + cri(at(2), .stdout, "F", "c"))
        let terminated = Flag()
        terminated.set()
        let start = ContinuousClock.now
        let result = try await follow(path, LogReadOptions(tailLines: 2, follow: true),
                                      configuration: ContainerLogReader.Configuration(), terminated: terminated)
        #expect(result.lines == ["b", "c"])
        #expect(result.ended)
        // The predicate is asked at the first idle end, not after the 1 s check interval.
        #expect(ContinuousClock.now - start < .milliseconds(800))
    }

    @Test func tailThenFollow() async throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("0.log")
        try writeFile(path, cri(at(0), .stdout, "F", "a") + cri(at(1), .stdout, "F", "b"))
        let started = Flag()
        let writer = Task {
            while !started.isSet { try await Task.sleep(for: .milliseconds(5)) }
            try await Task.sleep(for: .milliseconds(30))
            try LogWriter(path: path).write(cri(at(2), .stdout, "F", "c"))
        }
        let result = try await follow(path, LogReadOptions(tailLines: 1, follow: true), started: started) { $0.count == 2 }
        try await writer.value
        #expect(result.lines == ["b", "c"])
    }

    @Test func followEndsAtLimitBytes() async throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("0.log")
        try writeFile(path, cri(at(0), .stdout, "F", "abc"))
        let started = Flag()
        let writer = Task {
            while !started.isSet { try await Task.sleep(for: .milliseconds(5)) }
            try await Task.sleep(for: .milliseconds(30))
            try LogWriter(path: path).write(cri(at(1), .stdout, "F", "defgh") + cri(at(2), .stdout, "F", "never"))
        }
        let result = try await follow(path, LogReadOptions(limitBytes: 7, follow: true), started: started)
        try await writer.value
        #expect(result.ended)
        #expect(result.lines == ["abc", "def"])
    }

    @Test func cancellingTheConsumerReleasesDescriptorsAndTheWatch() async throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("0.log")
        try writeFile(path, cri(at(0), .stdout, "F", "first"))
        try writeFile(path + ".20261129-033811", cri(at(-1), .stdout, "F", "rotated"))
        let baseline = try openDescriptors(into: dir.path)
        let firstChunk = Flag()
        let consumer = Task {
            let stream = try ContainerLogReader(path: path).open(LogReadOptions(follow: true))
            var received = 0
            for try await chunk in stream {
                received += chunk.count
                firstChunk.set()
            }
            return received
        }
        while !firstChunk.isSet { try await Task.sleep(for: .milliseconds(5)) }
        // Waiting on inotify now, holding the live file and the watch.
        try await Task.sleep(for: .milliseconds(50))
        let during = try openDescriptors(into: dir.path)
        #expect(during.files > baseline.files)
        #expect(during.inotify == baseline.inotify + 1)
        let cancelledAt = ContinuousClock.now
        consumer.cancel()
        let received = try await consumer.value
        #expect(ContinuousClock.now - cancelledAt < .milliseconds(500), "cancellation ends a waiting follow promptly")
        #expect(received == "rotated\nfirst\n".utf8.count)
        // The inotify descriptor is closed by Dispatch's cancel handler, asynchronously: allow a moment.
        var after = try openDescriptors(into: dir.path)
        let deadline = ContinuousClock.now + .seconds(2)
        while after != baseline && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
            after = try openDescriptors(into: dir.path)
        }
        #expect(after == baseline)
    }

    @Test func droppingTheStreamMidFollowReleasesDescriptors() async throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("0.log")
        try writeFile(path, cri(at(0), .stdout, "F", "first") + cri(at(1), .stdout, "F", "second"))
        let baseline = try openDescriptors(into: dir.path)
        do {
            let stream = try ContainerLogReader(path: path, configuration: .init(chunkSize: 1))
                .open(LogReadOptions(follow: true))
            for try await _ in stream { break }
        }
        var after = try openDescriptors(into: dir.path)
        let deadline = ContinuousClock.now + .seconds(2)
        while after != baseline && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
            after = try openDescriptors(into: dir.path)
        }
        #expect(after == baseline)
    }

    @Test func aSlowConsumerDoesNotMakeTheReaderBuffer() async throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("0.log")
        var block = ""
        for i in 0..<10_000 { block += cri(at(Int64(i)), .stdout, "F", "line \(i) " + String(repeating: "y", count: 60)) }
        let log = try LogWriter(path: path)
        for _ in 0..<8 { log.write(block) }  // ~8 MB already waiting
        let configuration = ContainerLogReader.Configuration()
        let stream = try ContainerLogReader(path: path, configuration: configuration).open(LogReadOptions(follow: true))
        var iterator = stream.makeAsyncIterator()
        let first = try #require(try await iterator.next())
        #expect(first.count <= configuration.chunkSize + configuration.blockSize)
        // The writer keeps going while the consumer sits on its first chunk: nothing more is read meanwhile.
        for _ in 0..<4 { log.write(block) }
        try await Task.sleep(for: .milliseconds(50))
        #expect(stream.bytesRead <= 2 * configuration.blockSize, "read \(stream.bytesRead) bytes ahead")
        let second = try #require(try await iterator.next())
        #expect(!second.isEmpty)
        #expect(stream.bytesRead <= 4 * configuration.blockSize)
        stream.close()
        #expect(try await iterator.next() == nil)
    }
}
