/// The seam between the store and the disk: named byte blobs written durably.
///
/// Every method returns only once its effect is durable, so the store can acknowledge a client as soon as a call
/// returns. Names are plain file names (no `/`), chosen by the store.
public protocol ObjectPersistence: Sendable {
    /// Replaces the blob `name` with `bytes` atomically and durably: after return, a crash leaves either nothing
    /// new or exactly `bytes`, never a torn mix, and a restart sees `bytes`.
    func write(name: String, bytes: [UInt8]) async throws
    /// Removes the blob `name` durably. Removing a missing blob succeeds.
    func remove(name: String) async throws
    /// The blob `name`, or nil when there is none.
    func read(name: String) async throws -> [UInt8]?
    /// Every object blob (names ending in `ObjectKey.fileSuffix`), sorted by name, plus what could not be read.
    /// Leftovers of unfinished writes and unreadable files are quarantined, never returned and never dropped.
    func loadAll() async throws -> PersistenceLoad
    /// Moves the blob `name` out of the way (into `quarantine/`), durably, recording `reason` next to it, and
    /// returns where it went (relative to the store directory).
    func quarantine(name: String, reason: String) async throws -> String
}

/// What `ObjectPersistence.loadAll()` found.
public struct PersistenceLoad: Sendable {
    /// Readable object blobs, sorted by name.
    public var files: [(name: String, bytes: [UInt8])]
    /// Files that were set aside, with the reason.
    public var problems: [LoadProblem]

    /// Creates a load result.
    public init(files: [(name: String, bytes: [UInt8])], problems: [LoadProblem]) {
        self.files = files
        self.problems = problems
    }
}

/// A stored file that could not be loaded and was quarantined.
public struct LoadProblem: Sendable, Equatable, CustomStringConvertible {
    /// The file's name in the store directory.
    public var name: String
    /// Why it was set aside (parse error, wrong key, unfinished write, read error).
    public var reason: String
    /// Where it now lives (a path under `quarantine/`), or nil if even moving it failed.
    public var quarantinedAs: String?

    /// Creates a problem record.
    public init(name: String, reason: String, quarantinedAs: String?) {
        self.name = name
        self.reason = reason
        self.quarantinedAs = quarantinedAs
    }

    /// `name: reason (moved to …)`, for logs.
    public var description: String {
        "\(name): \(reason)" + (quarantinedAs.map { " (moved to \($0))" } ?? " (could not be moved)")
    }
}
