import Logging

/// The durable object store with its watch hub: one object per file, every accepted change on disk before it is
/// acknowledged, and Kubernetes watch semantics on top. Writes of data the agent can rebuild (pod status) may be
/// `WriteDurability.deferred`: published at once, written right after, never ahead of a durable write of the key.
///
/// How a write flows (and why):
/// 1. It takes the object's key lock, so writes to one key are applied one after another against committed state
///    and their files can never be renamed out of order. Exactly one of many concurrent creates of a key wins.
/// 2. It takes the next resourceVersion and registers a pending commit in the same actor step, so versions are
///    registered in order.
/// 3. It writes the file (temporary file, fsync, rename, directory fsync) off the actor; writes to different keys
///    overlap and share directory fsyncs.
/// 4. Commits are published strictly in version order: the cache, `currentResourceVersion`, the history window
///    and the watchers see version N only after every lower version is durable (or failed). The caller returns
///    only after its change is published, so a read after a write sees the write, and a watch resumed from any
///    version a client has seen never misses an earlier event.
public actor ObjectStore<Object: StoredObject> {
    private typealias Entry = StoredEntry<Object>

    private enum CommitState {
        case inFlight
        case succeeded
        case failed
    }

    private struct PendingCommit {
        var key: ObjectKey
        var state: CommitState = .inFlight
        var change: StoreChange<Object>?
        var entry: Entry?
        var waiter: CheckedContinuation<Void, Never>?
    }

    /// One of a key's two locks (see `locks`).
    private struct KeyLock: Hashable {
        enum Kind: Hashable { case write, disk }
        var key: ObjectKey
        var kind: Kind
    }

    private struct Watcher: Sendable {
        let filter: @Sendable (Object) -> Bool
        let channel: WatchChannel<Object>
        var bookmarkTask: Task<Void, Never>?
    }

    /// Files that could not be loaded at startup and were quarantined.
    public nonisolated let loadProblems: [LoadProblem]
    /// How many changes the watch history keeps.
    public nonisolated let historyLimit: Int

    private let persistence: any ObjectPersistence
    private let logger: Logger
    private var entries: ObjectIndex<Object>
    private var clock: ResourceVersionClock
    private var reservationTask: Task<Void, Error>?
    private var published: UInt64
    private var pending: [UInt64: PendingCommit] = [:]
    private var pendingOrder: [UInt64] = []
    private var pendingHead = 0
    /// Held locks, each with the holders-to-be queued behind it. Per key there are two: `.write` for a write in
    /// progress, `.disk` for a disk operation in progress (a durable write's or a deferred flush's). They are
    /// separate so a deferred update never waits for a flush's fsync.
    private var locks: [KeyLock: [CheckedContinuation<Void, Never>]] = [:]
    /// Encoded objects of deferred writes not on disk yet, by key (the newest one only).
    private var deferredWrites: [ObjectKey: [UInt8]] = [:]
    /// Keys with a flush task waiting for their lock.
    private var flushesScheduled: Set<ObjectKey> = []
    private var flushesInFlight = 0
    private var history: WatchHistory<Object>
    private var watchers: [UInt64: Watcher] = [:]
    private var nextWatcherID: UInt64 = 0

    /// Opens the store over `directory`, loading every stored object.
    ///
    /// Files that do not decode, whose object does not belong under their name, or that lack a numeric
    /// resourceVersion are quarantined and listed in `loadProblems`; startup goes on with the rest. Before
    /// returning, a fresh block of resource versions is reserved durably.
    ///
    /// - Parameters:
    ///   - directory: where objects live (a `DurableDirectory`, or `InMemoryPersistence` in tests).
    ///   - historyLimit: how many recent changes watches can resume from.
    ///   - versionBlock: resource versions reserved per durable high-water-mark write.
    ///   - logger: receives quarantine reports and dropped-watcher warnings.
    public init(
        directory: any ObjectPersistence, historyLimit: Int = 1000, versionBlock: UInt64 = 1000, logger: Logger
    ) async throws {
        var problems: [LoadProblem] = []
        var loaded: [Entry] = []
        var highestSeen: UInt64 = 0

        let load = try await directory.loadAll()
        problems.append(contentsOf: load.problems)
        for file in load.files {
            let reason: String
            do {
                let object = try Object.decodeFromStore(file.bytes)
                if object.objectKey.fileName != file.name {
                    reason = "holds object \(object.objectKey), which belongs in \(object.objectKey.fileName)"
                } else if let text = object.resourceVersion, let version = ResourceVersion.parse(text) {
                    highestSeen = max(highestSeen, version)
                    loaded.append(Entry(object: object, encoded: file.bytes))
                    continue
                } else {
                    reason = "object \(object.objectKey) has no numeric resourceVersion"
                }
            } catch {
                reason = "cannot decode: \(error)"
            }
            problems.append(await Self.quarantine(file.name, reason: reason, in: directory, logger: logger))
        }

        var restored: UInt64 = 0
        if let bytes = try await directory.read(name: ResourceVersionClock.reservationName) {
            if let value = ResourceVersionClock.decodeReservation(bytes) {
                restored = value
            } else {
                // Without the mark, versions handed out before a delete could be reused. Jump far ahead instead.
                problems.append(await Self.quarantine(
                    ResourceVersionClock.reservationName, reason: "not a number", in: directory, logger: logger))
                restored = highestSeen + 1_000_000
            }
        }
        var clock = ResourceVersionClock(
            restoredReservation: restored, highestSeen: highestSeen, blockSize: versionBlock)
        let reservation = clock.proposedReservation()
        try await directory.write(
            name: ResourceVersionClock.reservationName, bytes: ResourceVersionClock.encodeReservation(reservation))
        clock.commitReservation(through: reservation)
        if clock.current == 0 {
            // A brand-new store starts at version 1, because a list answering "0" would send its watch down the
            // "0 = any version, list everything first" path instead of resuming from that list.
            _ = clock.next()
        }

        self.persistence = directory
        self.logger = logger
        self.historyLimit = historyLimit
        self.loadProblems = problems
        self.entries = ObjectIndex(loaded)
        self.clock = clock
        self.published = clock.current
        self.history = WatchHistory(limit: historyLimit, startVersion: clock.current)
        logger.info(
            "object store opened",
            metadata: [
                "objects": "\(loaded.count)", "quarantined": "\(problems.count)",
                "resourceVersion": "\(clock.current)",
            ])
    }

    deinit {
        for watcher in watchers.values {
            watcher.bookmarkTask?.cancel()
            watcher.channel.finish()
        }
    }

    // MARK: - Reads

    /// The version of the last published change: what a list answers as its `metadata.resourceVersion`.
    public var currentResourceVersion: String { String(published) }

    /// Number of stored objects.
    public var count: Int { entries.count }

    /// The object stored under `key`.
    public func get(_ key: ObjectKey) -> Object? {
        entries[key]?.object
    }

    /// The cached JSON of the object stored under `key` (exactly `Object.encodeForStore` of it).
    public func getEncoded(_ key: ObjectKey) -> [UInt8]? {
        entries[key]?.encoded
    }

    /// Every object matching `predicate` (all when nil), in key order, with the version the list is consistent
    /// with.
    public func list(
        where predicate: ((Object) -> Bool)? = nil
    ) -> (items: [Object], resourceVersion: String) {
        guard let predicate else { return (entries.entries.map(\.object), String(published)) }
        var items: [Object] = []
        for entry in entries.entries where predicate(entry.object) { items.append(entry.object) }
        return (items, String(published))
    }

    /// The fast path for list responses: the cached JSON of every object matching `predicate` (all when nil), in
    /// key order, with the list's version. Nothing is encoded here; each object was encoded once when written.
    public func listEncoded(
        where predicate: ((Object) -> Bool)? = nil
    ) -> (items: [[UInt8]], resourceVersion: String) {
        guard let predicate else { return (entries.allEncoded(), String(published)) }
        var items: [[UInt8]] = []
        for entry in entries.entries where predicate(entry.object) { items.append(entry.encoded) }
        return (items, String(published))
    }

    /// The fastest path for an unfiltered list: the JSON of every object, in key order, joined by commas (what
    /// goes between `"items":[` and `]`), cached until the next change; with the object count and the version.
    public func listEncodedJoined() -> (json: [UInt8], count: Int, resourceVersion: String) {
        (entries.joinedEncoded(), entries.count, String(published))
    }

    // MARK: - Writes

    /// Stores a new object and returns it with its resourceVersion, once it is durable.
    ///
    /// - Throws: `StoreError.alreadyExists` when the key is taken (of N concurrent creates of one key exactly
    ///   one succeeds), `StoreError.io` when the disk fails, `StoreError.encodingFailed`.
    public func create(_ object: Object) async throws -> Object {
        let key = object.objectKey
        await lockKey(key)
        guard entries[key] == nil else {
            unlockKey(key)
            throw StoreError.alreadyExists(key)
        }
        let version = try await reserveVersion(lockedKey: key)
        var stored = object
        stored.resourceVersion = String(version)
        let bytes = try encode(stored, version: version)
        let change = StoreChange(version: version, kind: .created, object: stored, previous: nil)
        try await commit(version, change: change, entry: Entry(object: stored, encoded: bytes)) { persistence in
            try await persistence.write(name: key.fileName, bytes: bytes)
        }
        return stored
    }

    /// Applies `mutate` to the stored object and returns the result once it is durable.
    ///
    /// A mutation that changes nothing (same encoding) is not written and keeps the current version. The
    /// mutation may not change namespace, name or uid; whatever it sets as resourceVersion is replaced.
    ///
    /// - Parameters:
    ///   - expectedResourceVersion: when given, the update is refused with `StoreError.conflict` unless the
    ///     stored object has this version (Kubernetes optimistic concurrency).
    ///   - durability: `.durable` (the default) returns once the change is on disk; `.deferred` returns once it is
    ///     published and writes it in the background (see `WriteDurability`).
    /// - Throws: `StoreError.notFound`, `.conflict`, `.invalidMutation`, `.io`, `.encodingFailed`, or what
    ///   `mutate` throws (nothing is written then).
    public func update(
        _ key: ObjectKey, expectedResourceVersion: String? = nil, durability: WriteDurability = .durable,
        _ mutate: (inout Object) throws -> Void
    ) async throws -> Object {
        await lockKey(key)
        guard let current = entries[key] else {
            unlockKey(key)
            throw StoreError.notFound(key)
        }
        let currentVersion = current.object.resourceVersion ?? ""
        if let expectedResourceVersion, expectedResourceVersion != currentVersion {
            unlockKey(key)
            throw StoreError.conflict(key, expected: expectedResourceVersion, actual: currentVersion)
        }
        var next = current.object
        do {
            try mutate(&next)
        } catch {
            unlockKey(key)
            throw error
        }
        if next.objectKey != key || next.uid != current.object.uid {
            unlockKey(key)
            throw StoreError.invalidMutation(key, reason: "namespace, name and uid cannot change")
        }
        next.resourceVersion = current.object.resourceVersion
        let unchanged: Bool
        do {
            unchanged = try Object.encodeForStore(next) == current.encoded
        } catch {
            unlockKey(key)
            throw StoreError.encodingFailed(key, reason: "\(error)")
        }
        if unchanged {
            unlockKey(key)
            return current.object
        }
        let version = try await reserveVersion(lockedKey: key)
        next.resourceVersion = String(version)
        let bytes = try encode(next, version: version)
        let change = StoreChange(version: version, kind: .modified, object: next, previous: current.object)
        switch durability {
        case .durable:
            try await commit(version, change: change, entry: Entry(object: next, encoded: bytes)) { persistence in
                try await persistence.write(name: key.fileName, bytes: bytes)
            }
        case .deferred:
            deferredWrites[key] = bytes
            scheduleFlush(key)
            await commit(version, change: change, entry: Entry(object: next, encoded: bytes))
        }
        return next
    }

    /// Removes the object's file and returns its final content, carrying the delete's resourceVersion (as the
    /// DELETED event does); nil when nothing is stored under `key`.
    public func delete(_ key: ObjectKey) async throws -> Object? {
        await lockKey(key)
        guard let current = entries[key] else {
            unlockKey(key)
            return nil
        }
        let version = try await reserveVersion(lockedKey: key)
        var final = current.object
        final.resourceVersion = String(version)
        let change = StoreChange(version: version, kind: .deleted, object: final, previous: current.object)
        try await commit(version, change: change, entry: nil) { persistence in
            try await persistence.remove(name: key.fileName)
        }
        return final
    }

    // MARK: - Watch

    /// Starts a watch.
    ///
    /// - Parameters:
    ///   - fromResourceVersion: nil, empty or "0": first a synthetic `.added` for every current object that
    ///     matches, in key order, then live changes. "N": every change after N from the history window, then
    ///     live changes; if N is older than the window the watch yields one `.error(.expired)` and ends; if N is
    ///     newer than anything published, one `.error(.resourceVersionTooLarge)`.
    ///   - filter: which objects this watcher sees. A change that makes an object match is delivered as `.added`,
    ///     one that makes it stop matching as `.deleted`.
    ///   - bufferLimit: how many live events may wait for the consumer. On overflow the consumer gets what was
    ///     queued, then `.error(.tooSlow)`, then the end; writers are never slowed down.
    ///   - bookmarkInterval: when set, a `.bookmark` with the current version is sent this often (skipped when
    ///     the buffer is full).
    /// - Throws: `StoreError.invalidResourceVersion` when the version is not a decimal number (HTTP 400).
    public func watch(
        fromResourceVersion: String?,
        filter: @escaping @Sendable (Object) -> Bool = { _ in true },
        bufferLimit: Int = 100,
        bookmarkInterval: Duration? = nil
    ) throws -> ObjectWatch<Object> {
        var start: UInt64?
        if let text = fromResourceVersion, !text.isEmpty {
            guard let value = ResourceVersion.parse(text) else { throw StoreError.invalidResourceVersion(text) }
            start = value == 0 ? nil : value
        }
        let channel = WatchChannel<Object>(limit: bufferLimit)
        let watch = ObjectWatch(channel: channel)
        if let start {
            if start > published {
                channel.finish(with: .error(.resourceVersionTooLarge(requested: start, current: published)))
                return watch
            }
            switch history.changes(after: start) {
            case let .failure(failure):
                channel.finish(with: .error(failure))
                return watch
            case let .success(changes):
                channel.sendInitial(changes.compactMap { $0.event(passing: filter) })
            }
        } else {
            var initial: [StoreWatchEvent<Object>] = []
            for entry in entries.entries where filter(entry.object) { initial.append(.added(entry.object)) }
            channel.sendInitial(initial)
        }

        let id = nextWatcherID
        nextWatcherID += 1
        var watcher = Watcher(filter: filter, channel: channel, bookmarkTask: nil)
        if let bookmarkInterval {
            watcher.bookmarkTask = Task { [weak self] in
                while true {
                    do {
                        try await Task.sleep(for: bookmarkInterval)
                    } catch {
                        return
                    }
                    guard let self, await self.sendBookmark(to: id) else { return }
                }
            }
        }
        watchers[id] = watcher
        channel.setOnTermination { [weak self] in
            Task { await self?.removeWatcher(id) }
        }
        return watch
    }

    /// Number of registered watchers.
    public var watcherCount: Int { watchers.count }

    /// Ends every watch (their consumers get what is queued, then the end), for shutdown.
    public func finishAllWatches() {
        for watcher in watchers.values {
            watcher.bookmarkTask?.cancel()
            watcher.channel.finish()
        }
        watchers.removeAll()
    }

    // MARK: - Commit pipeline

    /// Takes the next version and registers its pending commit in one actor step. On failure the key is
    /// unlocked.
    private func reserveVersion(lockedKey key: ObjectKey) async throws -> UInt64 {
        while true {
            if let version = clock.next() {
                pending[version] = PendingCommit(key: key)
                pendingOrder.append(version)
                if clock.wantsReservation { _ = startReservation() }
                return version
            }
            do {
                try await startReservation().value
            } catch {
                unlockKey(key)
                throw Self.storeError(error)
            }
        }
    }

    /// Persists the next version block unless that is already under way.
    private func startReservation() -> Task<Void, Error> {
        if let reservationTask { return reservationTask }
        let target = clock.proposedReservation()
        let persistence = self.persistence
        let task = Task {
            defer { self.reservationTask = nil }
            try await persistence.write(
                name: ResourceVersionClock.reservationName, bytes: ResourceVersionClock.encodeReservation(target))
            self.clock.commitReservation(through: target)
        }
        reservationTask = task
        return task
    }

    private func encode(_ object: Object, version: UInt64) throws -> [UInt8] {
        do {
            return try Object.encodeForStore(object)
        } catch {
            pending[version]?.state = .failed
            publishReady()
            throw StoreError.encodingFailed(object.objectKey, reason: "\(error)")
        }
    }

    /// Runs the disk operation for pending commit `version`, then waits until the commit is published.
    private func commit(
        _ version: UInt64, change: StoreChange<Object>, entry: Entry?,
        io: @Sendable (any ObjectPersistence) async throws -> Void
    ) async throws {
        pending[version]?.change = change
        pending[version]?.entry = entry
        let key = change.object.objectKey
        await lockDisk(key)
        do {
            try await io(persistence)
        } catch {
            unlockDisk(key)
            pending[version]?.state = .failed
            publishReady()
            logger.error("store write failed", metadata: ["key": "\(key)", "error": "\(error)"])
            throw Self.storeError(error)
        }
        // The key's lock is held, so no deferred change is newer than this write, which carries (or removes) them
        // all; holding the disk lock, no flush can land after it.
        deferredWrites[key] = nil
        unlockDisk(key)
        await commit(version, change: change, entry: entry)
    }

    /// Publishes pending commit `version` without a disk operation (a deferred write) and waits until it is.
    private func commit(_ version: UInt64, change: StoreChange<Object>, entry: Entry?) async {
        pending[version]?.change = change
        pending[version]?.entry = entry
        pending[version]?.state = .succeeded
        publishReady()
        if pending[version] != nil {
            await withCheckedContinuation { pending[version]?.waiter = $0 }
        }
    }

    // MARK: - Deferred writes

    /// Starts a flush of `key`'s deferred write unless one is already waiting for the key.
    private func scheduleFlush(_ key: ObjectKey) {
        guard flushesScheduled.insert(key).inserted else { return }
        Task { await self.flushDeferred(key) }
    }

    /// Writes `key`'s newest deferred change under the key's disk lock, so a durable write or delete of the key
    /// can never be overtaken by an older deferred one (nor a deleted object's file be recreated), while updates of
    /// the key go on (and replace what the next flush writes) during the fsync.
    private func flushDeferred(_ key: ObjectKey) async {
        await lockDisk(key)
        // From here a new deferred write schedules another flush, which queues behind this one.
        flushesScheduled.remove(key)
        guard let bytes = deferredWrites.removeValue(forKey: key) else {
            unlockDisk(key)
            return
        }
        flushesInFlight += 1
        do {
            try await persistence.write(name: key.fileName, bytes: bytes)
        } catch {
            // The change stays published; the next write of the key carries it to disk.
            logger.error("deferred store write failed", metadata: ["key": "\(key)", "error": "\(error)"])
        }
        flushesInFlight -= 1
        unlockDisk(key)
    }

    /// Writes every deferred change now and returns when they are on disk (for shutdown and tests).
    public func flushDeferredWrites() async {
        for key in deferredWrites.keys { await flushDeferred(key) }
    }

    /// Deferred changes published but not on disk yet: keys waiting for a flush plus flushes under way.
    public var deferredWriteCount: Int { deferredWrites.count + flushesInFlight }

    /// Publishes finished commits in version order, stopping at the first one still in flight.
    private func publishReady() {
        while pendingHead < pendingOrder.count {
            let version = pendingOrder[pendingHead]
            guard let commit = pending[version] else {
                pendingHead += 1
                continue
            }
            if case .inFlight = commit.state { break }
            pendingHead += 1
            pending[version] = nil
            if case .succeeded = commit.state, let change = commit.change {
                apply(change, entry: commit.entry)
            }
            unlockKey(commit.key)
            commit.waiter?.resume()
        }
        if pendingHead > 64 && pendingHead * 2 > pendingOrder.count {
            pendingOrder.removeFirst(pendingHead)
            pendingHead = 0
        }
    }

    private func apply(_ change: StoreChange<Object>, entry: Entry?) {
        let key = change.object.objectKey
        switch change.kind {
        case .created, .modified:
            if let entry { entries.upsert(entry) }
        case .deleted:
            entries.remove(key)
        }
        published = change.version
        history.append(change)
        broadcast(change)
    }

    private func broadcast(_ change: StoreChange<Object>) {
        var gone: [UInt64] = []
        for (id, watcher) in watchers {
            guard let event = change.event(passing: watcher.filter) else { continue }
            switch watcher.channel.send(event) {
            case .queued:
                break
            case .overflowed:
                logger.warning(
                    "dropped a watcher that fell behind",
                    metadata: ["bufferLimit": "\(watcher.channel.limit)", "resourceVersion": "\(change.version)"])
                gone.append(id)
            case .closed:
                gone.append(id)
            }
        }
        for id in gone { removeWatcher(id) }
    }

    /// Sends a bookmark to watcher `id`; false when the watcher is gone.
    private func sendBookmark(to id: UInt64) -> Bool {
        guard let watcher = watchers[id] else { return false }
        if watcher.channel.send(.bookmark(resourceVersion: String(published)), isBookmark: true) == .closed {
            removeWatcher(id)
            return false
        }
        return true
    }

    private func removeWatcher(_ id: UInt64) {
        guard let watcher = watchers.removeValue(forKey: id) else { return }
        watcher.bookmarkTask?.cancel()
    }

    // MARK: - Key locks

    private func lockKey(_ key: ObjectKey) async {
        await lock(KeyLock(key: key, kind: .write))
    }

    /// Hands the lock to the next queued writer of `key`, or frees it.
    private func unlockKey(_ key: ObjectKey) {
        unlock(KeyLock(key: key, kind: .write))
    }

    private func lockDisk(_ key: ObjectKey) async {
        await lock(KeyLock(key: key, kind: .disk))
    }

    private func unlockDisk(_ key: ObjectKey) {
        unlock(KeyLock(key: key, kind: .disk))
    }

    private func lock(_ id: KeyLock) async {
        if locks[id] == nil {
            locks[id] = []
            return
        }
        await withCheckedContinuation { locks[id, default: []].append($0) }
    }

    private func unlock(_ id: KeyLock) {
        guard var waiters = locks[id] else { return }
        if waiters.isEmpty {
            locks[id] = nil
        } else {
            let next = waiters.removeFirst()
            locks[id] = waiters
            next.resume()
        }
    }

    // MARK: - Helpers

    private static func storeError(_ error: Error) -> StoreError {
        (error as? StoreError) ?? .io("\(error)")
    }

    private static func quarantine(
        _ name: String, reason: String, in directory: any ObjectPersistence, logger: Logger
    ) async -> LoadProblem {
        do {
            let destination = try await directory.quarantine(name: name, reason: reason)
            logger.error("stored object quarantined", metadata: ["file": "\(name)", "reason": "\(reason)"])
            return LoadProblem(name: name, reason: reason, quarantinedAs: destination)
        } catch {
            logger.error(
                "stored object is unusable and could not be quarantined; it is skipped",
                metadata: ["file": "\(name)", "reason": "\(reason)", "error": "\(error)"])
            return LoadProblem(name: name, reason: reason + "; moving it failed: \(error)", quarantinedAs: nil)
        }
    }
}
