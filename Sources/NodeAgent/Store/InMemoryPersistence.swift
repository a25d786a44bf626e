/// Blobs in memory, for unit tests of the store's logic and for injecting disk failures.
///
/// Not durable: a "restart" is a new store over the same `InMemoryPersistence` instance.
public final class InMemoryPersistence: ObjectPersistence {
    private struct State {
        var files: [String: [UInt8]] = [:]
        var quarantined: [String: (bytes: [UInt8], reason: String)] = [:]
        var failingWrites: Set<String> = []
        var writeCount = 0
    }

    private let state = StoreLock(State())

    /// Creates an empty blob store, optionally pre-filled with `files`.
    public init(files: [String: [UInt8]] = [:]) {
        state.withLock { $0.files = files }
    }

    /// Stores `bytes` under `name`, unless a failure was injected for that name.
    public func write(name: String, bytes: [UInt8]) async throws {
        try state.withLock { state in
            if state.failingWrites.contains(name) { throw StoreError.io("injected write failure for \(name)") }
            state.files[name] = bytes
            state.writeCount += 1
        }
    }

    /// Drops `name`.
    public func remove(name: String) async throws {
        try state.withLock { state in
            if state.failingWrites.contains(name) { throw StoreError.io("injected remove failure for \(name)") }
            state.files[name] = nil
        }
    }

    /// The bytes stored under `name`.
    public func read(name: String) async throws -> [UInt8]? {
        state.withLock { $0.files[name] }
    }

    /// Every blob whose name ends in `ObjectKey.fileSuffix`, sorted by name.
    public func loadAll() async throws -> PersistenceLoad {
        let files = state.withLock { state in
            state.files.filter { $0.key.hasSuffix(ObjectKey.fileSuffix) }
                .sorted { $0.key < $1.key }
                .map { (name: $0.key, bytes: $0.value) }
        }
        return PersistenceLoad(files: files, problems: [])
    }

    /// Moves `name` to the quarantine map.
    public func quarantine(name: String, reason: String) async throws -> String {
        try state.withLock { state in
            guard let bytes = state.files.removeValue(forKey: name) else {
                throw StoreError.io("cannot quarantine missing \(name)")
            }
            state.quarantined[name] = (bytes, reason)
            return "quarantine/" + name
        }
    }

    /// Makes every later write or remove of `name` fail (or succeed again with `false`).
    public func setFailing(_ name: String, _ failing: Bool = true) {
        state.withLock { state in
            if failing { state.failingWrites.insert(name) } else { state.failingWrites.remove(name) }
        }
    }

    /// A snapshot of the stored blobs.
    public var files: [String: [UInt8]] { state.withLock { $0.files } }

    /// Quarantined blob names with their reasons.
    public var quarantineReasons: [String: String] { state.withLock { $0.quarantined.mapValues { $0.reason } } }

    /// Successful writes so far.
    public var writeCount: Int { state.withLock { $0.writeCount } }
}
