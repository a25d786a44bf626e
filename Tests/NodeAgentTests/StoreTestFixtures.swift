import Foundation
import Logging
import Testing

@testable import NodeAgent

/// A small object for store tests: identity, labels and a payload to change.
struct Widget: StoredObject, Equatable {
    var namespace: String
    var name: String
    var uid: String
    var resourceVersion: String?
    var labels: [String: String]
    var size: Int

    var objectKey: ObjectKey { ObjectKey(namespace: namespace, name: name) }

    init(_ namespace: String, _ name: String, labels: [String: String] = [:], size: Int = 0) {
        self.namespace = namespace
        self.name = name
        self.uid = UUID().uuidString.lowercased()
        self.labels = labels
        self.size = size
    }
}

enum StoreFixtures {
    /// A logger that drops everything, so test output stays readable.
    static let quietLogger = Logger(label: "store-test", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Runs `body` with a fresh directory on the real disk (ext4 under /tmp here), removed afterwards.
    static func withTemporaryDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
        let path = NSTemporaryDirectory() + "swiftlet-store-tests/" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try await body(path)
    }

    static func openStore(
        _ path: String, historyLimit: Int = 1000, groupCommit: Bool = true
    ) async throws -> ObjectStore<Widget> {
        let directory = try DurableDirectory(path: path, groupCommit: groupCommit, logger: quietLogger)
        return try await ObjectStore<Widget>(directory: directory, historyLimit: historyLimit, logger: quietLogger)
    }

    /// Reads up to `count` events; a watchdog ends the watch after `timeout`, so a missing event shows up as a
    /// short result instead of a hang.
    static func collect<O: StoredObject>(
        _ watch: ObjectWatch<O>, count: Int, timeout: Duration = .seconds(10)
    ) async -> [StoreWatchEvent<O>] {
        let watchdog = Task {
            do { try await Task.sleep(for: timeout) } catch { return }
            watch.cancel()
        }
        defer { watchdog.cancel() }
        var iterator = watch.makeAsyncIterator()
        var events: [StoreWatchEvent<O>] = []
        while events.count < count, let event = await iterator.next() {
            events.append(event)
        }
        return events
    }

    /// Events as short strings, e.g. `ADDED default/a 3 size=1`, for exact comparisons.
    static func describe(_ events: [StoreWatchEvent<Widget>]) -> [String] {
        events.map(describe)
    }

    static func describe(_ event: StoreWatchEvent<Widget>) -> String {
        func object(_ type: String, _ widget: Widget) -> String {
            "\(type) \(widget.objectKey) \(widget.resourceVersion ?? "-") size=\(widget.size)"
        }
        switch event {
        case let .added(widget): return object("ADDED", widget)
        case let .modified(widget): return object("MODIFIED", widget)
        case let .deleted(widget): return object("DELETED", widget)
        case let .bookmark(version): return "BOOKMARK \(version)"
        case let .error(failure): return "ERROR \(failure.message)"
        }
    }

    /// Polls `condition` until it holds or `timeout` passes.
    static func eventually(
        timeout: Duration = .seconds(5), _ condition: () async -> Bool
    ) async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            if await condition() { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return await condition()
    }
}

/// `InMemoryPersistence` whose writes take a while, like an fsync on a slow disk: a fixed `writeDelay`, or a fresh
/// random one per write so that concurrent writes finish out of order.
final class SlowPersistence: ObjectPersistence {
    let memory = InMemoryPersistence()
    let writeDelay: @Sendable () -> Duration

    init(writeDelay: Duration) { self.writeDelay = { writeDelay } }

    init(randomWriteDelayUpTo limit: Duration) {
        let microseconds = Int(limit / .microseconds(1))
        self.writeDelay = { .microseconds(Int.random(in: 0...microseconds)) }
    }

    func write(name: String, bytes: [UInt8]) async throws {
        try await Task.sleep(for: writeDelay())
        try await memory.write(name: name, bytes: bytes)
    }
    func remove(name: String) async throws { try await memory.remove(name: name) }
    func read(name: String) async throws -> [UInt8]? { try await memory.read(name: name) }
    func loadAll() async throws -> PersistenceLoad { try await memory.loadAll() }
    func quarantine(name: String, reason: String) async throws -> String {
        try await memory.quarantine(name: name, reason: reason)
    }
}
