import FoundationEssentials
import KubeTypes
import Logging
import Synchronization

/// The kind of an event, as Kubernetes names it.
public enum EventType: String, Sendable {
    /// Something expected happened (Pulled, Created, Started).
    case normal = "Normal"
    /// Something went wrong (Failed, BackOff, Unhealthy).
    case warning = "Warning"
}

/// Records what happens to pods as v1 Events, aggregated the way the Kubernetes event recorder does.
///
/// A repeat of the same type, reason and message for the same pod bumps `count` and `lastTimestamp` instead of
/// adding a row, so a crash-looping container yields one `BackOff` event with a growing count. Events live in
/// memory, bounded to `capacity` (oldest by last occurrence dropped first), like the API server's one-hour event
/// TTL: they are a diagnostic trail, not state the node depends on.
public final class EventRecorder: Sendable {
    private struct Key: Hashable {
        var uid: String
        var type: String
        var reason: String
        var message: String
    }

    private struct State {
        // Boxed: an Event is ~700 bytes inline, and the table keeps up to `capacity` of them in a hash table about
        // twice that size.
        var events: [Key: CopyOnWrite<Event>] = [:]
        var sequence: UInt64 = 0
    }

    private let state = Mutex(State())
    private let capacity: Int
    private let source: EventSource
    private let now: @Sendable () -> Time
    private let logger: Logger

    /// Creates a recorder for the node `nodeName`, keeping at most `capacity` distinct events.
    public init(nodeName: String, capacity: Int = 2000, logger: Logger, now: @escaping @Sendable () -> Time = { Time.now() }) {
        self.capacity = max(1, capacity)
        self.source = EventSource(component: "swiftlet", host: nodeName)
        self.now = now
        self.logger = logger
    }

    /// Records that `reason` happened to `pod`, with a human-readable `message`.
    public func record(_ pod: Pod, type: EventType, reason: String, message: String) {
        let namespace = pod.metadata.namespace ?? "default"
        let name = pod.metadata.name ?? ""
        let uid = pod.metadata.uid ?? ""
        let key = Key(uid: uid, type: type.rawValue, reason: reason, message: message)
        let timestamp = now()
        state.withLock { state in
            if var existing = state.events[key] {
                existing.value.count = (existing.value.count ?? 1) + 1
                existing.value.lastTimestamp = timestamp
                state.events[key] = existing
                return
            }
            state.sequence += 1
            let event = Event(
                kind: "Event",
                apiVersion: "v1",
                metadata: ObjectMeta(
                    name: "\(name).\(String(UInt64(timestamp.secondsSinceEpoch) << 20 | state.sequence, radix: 16))",
                    namespace: namespace,
                    uid: UUID().uuidString.lowercased(),
                    creationTimestamp: timestamp
                ),
                involvedObject: ObjectReference(kind: "Pod", namespace: namespace, name: name, uid: uid, apiVersion: "v1"),
                reason: reason,
                message: message,
                source: source,
                firstTimestamp: timestamp,
                lastTimestamp: timestamp,
                count: 1,
                type: type.rawValue,
                reportingComponent: "swiftlet",
                reportingInstance: source.host
            )
            state.events[key] = CopyOnWrite(event)
            if state.events.count > capacity,
                let oldest = state.events.min(by: { Self.lastSeen($0.value.value) < Self.lastSeen($1.value.value) })
            {
                state.events.removeValue(forKey: oldest.key)
            }
        }
        logger.debug("event", metadata: [
            "pod": "\(namespace)/\(name)", "type": "\(type.rawValue)", "reason": "\(reason)", "message": "\(message)",
        ])
    }

    /// Events in `namespace` (all when nil) about the pod named `podName` (all pods when nil), oldest first.
    public func events(namespace: String? = nil, podName: String? = nil, podUID: String? = nil) -> [Event] {
        let all = state.withLock { $0.events.values.map(\.value) }
        return all.filter { event in
            (namespace == nil || event.involvedObject.namespace == namespace)
                && (podName == nil || event.involvedObject.name == podName)
                && (podUID == nil || event.involvedObject.uid == podUID)
        }
        .sorted { (Self.lastSeen($0), $0.metadata.name ?? "") < (Self.lastSeen($1), $1.metadata.name ?? "") }
    }

    private static func lastSeen(_ event: Event) -> Int64 {
        event.lastTimestamp?.secondsSinceEpoch ?? event.firstTimestamp?.secondsSinceEpoch ?? 0
    }
}
