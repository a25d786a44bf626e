/// A report of something that happened to an object (core `v1.Event`).
public struct Event: Codable, Sendable, Equatable {
    /// `Event`.
    public var kind: String?
    /// `v1`.
    public var apiVersion: String?
    /// Standard object metadata.
    public var metadata: ObjectMeta
    /// The object this event is about.
    public var involvedObject: ObjectReference
    /// Short CamelCase reason, e.g. `Pulled`.
    public var reason: String?
    /// Human-readable description.
    public var message: String?
    /// Component that reported the event.
    public var source: EventSource?
    /// First time the event was recorded.
    public var firstTimestamp: Time?
    /// Most recent time the event was recorded.
    public var lastTimestamp: Time?
    /// Number of times the event occurred.
    public var count: Int32?
    /// `Normal` or `Warning`.
    public var type: String?
    /// Time the event was first observed, with microseconds.
    public var eventTime: MicroTime?
    /// Data about a series of repeated events.
    public var series: EventSeries?
    /// What was done (or failed) about the object.
    public var action: String?
    /// A secondary object involved.
    public var related: ObjectReference?
    /// Controller that emitted the event, e.g. `swiftlet`.
    public var reportingComponent: String?
    /// Instance of the controller, e.g. the node name.
    public var reportingInstance: String?

    /// Creates a `Event`; every optional field defaults to absent.
    public init(
        kind: String? = nil,
        apiVersion: String? = nil,
        metadata: ObjectMeta = ObjectMeta(),
        involvedObject: ObjectReference = ObjectReference(),
        reason: String? = nil,
        message: String? = nil,
        source: EventSource? = nil,
        firstTimestamp: Time? = nil,
        lastTimestamp: Time? = nil,
        count: Int32? = nil,
        type: String? = nil,
        eventTime: MicroTime? = nil,
        series: EventSeries? = nil,
        action: String? = nil,
        related: ObjectReference? = nil,
        reportingComponent: String? = nil,
        reportingInstance: String? = nil
    ) {
        self.kind = kind
        self.apiVersion = apiVersion
        self.metadata = metadata
        self.involvedObject = involvedObject
        self.reason = reason
        self.message = message
        self.source = source
        self.firstTimestamp = firstTimestamp
        self.lastTimestamp = lastTimestamp
        self.count = count
        self.type = type
        self.eventTime = eventTime
        self.series = series
        self.action = action
        self.related = related
        self.reportingComponent = reportingComponent
        self.reportingInstance = reportingInstance
    }

    enum CodingKeys: String, CodingKey {
        case kind
        case apiVersion
        case metadata
        case involvedObject
        case reason
        case message
        case source
        case firstTimestamp
        case lastTimestamp
        case count
        case type
        case eventTime
        case series
        case action
        case related
        case reportingComponent
        case reportingInstance
    }
}

extension Event {
    /// Decodes the Kubernetes JSON form; a required field that is absent takes its zero value, so that
    /// validation (not the decoder) reports it the way the API server does.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.kind = try c.decodeIfPresent(String.self, forKey: .kind)
        self.apiVersion = try c.decodeIfPresent(String.self, forKey: .apiVersion)
        self.metadata = try c.decodeIfPresent(ObjectMeta.self, forKey: .metadata) ?? ObjectMeta()
        self.involvedObject = try c.decodeIfPresent(ObjectReference.self, forKey: .involvedObject) ?? ObjectReference()
        self.reason = try c.decodeIfPresent(String.self, forKey: .reason)
        self.message = try c.decodeIfPresent(String.self, forKey: .message)
        self.source = try c.decodeIfPresent(EventSource.self, forKey: .source)
        self.firstTimestamp = try c.decodeIfPresent(Time.self, forKey: .firstTimestamp)
        self.lastTimestamp = try c.decodeIfPresent(Time.self, forKey: .lastTimestamp)
        self.count = try c.decodeIfPresent(Int32.self, forKey: .count)
        self.type = try c.decodeIfPresent(String.self, forKey: .type)
        self.eventTime = try c.decodeIfPresent(MicroTime.self, forKey: .eventTime)
        self.series = try c.decodeIfPresent(EventSeries.self, forKey: .series)
        self.action = try c.decodeIfPresent(String.self, forKey: .action)
        self.related = try c.decodeIfPresent(ObjectReference.self, forKey: .related)
        self.reportingComponent = try c.decodeIfPresent(String.self, forKey: .reportingComponent)
        self.reportingInstance = try c.decodeIfPresent(String.self, forKey: .reportingInstance)
    }
}
