import Synchronization

/// Swiftlet's own instruments and scrape-time collectors, gathered for one endpoint.
///
/// A registry is an ordinary value passed to whoever instruments (no global bootstrap): `/metrics` has one,
/// `/metrics/probes` another, and tests make their own.
public final class MetricsRegistry: Sendable {
    private let instruments = Mutex<[any MetricSource]>([])
    private let collectors = Mutex<[@Sendable () -> [MetricFamily]]>([])

    /// An empty registry.
    public init() {}

    /// A counter family with the given label names.
    public func counter(_ name: String, help: String, labels: [String] = []) -> Counter {
        let counter = Counter(name: name, help: help, labelNames: labels)
        instruments.withLock { $0.append(counter) }
        return counter
    }

    /// A gauge family with the given label names.
    public func gauge(_ name: String, help: String, labels: [String] = []) -> Gauge {
        let gauge = Gauge(name: name, help: help, labelNames: labels)
        instruments.withLock { $0.append(gauge) }
        return gauge
    }

    /// A histogram family with the given bucket upper bounds (ascending; +Inf is implied).
    public func histogram(_ name: String, help: String, labels: [String] = [], buckets: [Double]) -> Histogram {
        let histogram = Histogram(name: name, help: help, labelNames: labels, buckets: buckets)
        instruments.withLock { $0.append(histogram) }
        return histogram
    }

    /// Adds families computed at scrape time (process figures, counts from the stats cache).
    public func addCollector(_ collect: @escaping @Sendable () -> [MetricFamily]) {
        collectors.withLock { $0.append(collect) }
    }

    /// Every family, instruments first then collectors' (the writer sorts them by name).
    public func families() -> [MetricFamily] {
        let sources = instruments.withLock { $0 }
        let extra = collectors.withLock { $0 }
        return sources.map { $0.family() } + extra.flatMap { $0() }
    }
}

protocol MetricSource: Sendable {
    func family() -> MetricFamily
}

/// The series of a family whose named labels have the given values, the names resolved to label positions once.
struct LabelMatch {
    private let conditions: [(index: Int, value: String)]

    /// Nil when a name is not one of the family's labels: no series can match it.
    init?(_ wanted: [String: String], labelNames: [String]) {
        var conditions: [(index: Int, value: String)] = []
        for (name, value) in wanted {
            guard let index = labelNames.firstIndex(of: name) else { return nil }
            conditions.append((index, value))
        }
        self.conditions = conditions
    }

    func matches(_ labels: [String]) -> Bool {
        conditions.allSatisfy { labels.indices.contains($0.index) && labels[$0.index] == $0.value }
    }
}

/// The labelled values of a counter or gauge family: one store, so the two kinds differ only in what they allow.
final class ScalarSeries: Sendable {
    let name: String
    let help: String
    let labelNames: [String]
    let kind: MetricFamily.Kind
    private let values = Mutex<[[String]: Double]>([:])

    init(name: String, help: String, labelNames: [String], kind: MetricFamily.Kind) {
        self.name = name
        self.help = help
        self.labelNames = labelNames
        self.kind = kind
        // A family without labels has its one series from the start, so it reads 0 rather than being absent.
        if labelNames.isEmpty { values.withLock { $0[[]] = 0 } }
    }

    func update(_ labels: [String], _ change: (inout Double) -> Void) {
        values.withLock { change(&$0[labels, default: 0]) }
    }

    func value(_ labels: [String]) -> Double {
        values.withLock { $0[labels] ?? 0 }
    }

    func remove(matching labels: [String: String]) {
        guard let match = LabelMatch(labels, labelNames: labelNames) else { return }
        values.withLock { values in values = values.filter { !match.matches($0.key) } }
    }

    func family() -> MetricFamily {
        let snapshot = values.withLock { $0 }
        return MetricFamily(name: name, help: help, kind: kind, labelNames: labelNames,
                            series: snapshot.map { .init($0.key, .scalar($0.value)) })
    }
}

/// A counter family: values only go up.
public final class Counter: MetricSource {
    private let series: ScalarSeries

    init(name: String, help: String, labelNames: [String]) {
        series = ScalarSeries(name: name, help: help, labelNames: labelNames, kind: .counter)
    }

    /// Adds `amount` (which must not be negative) to the series with `labels`.
    public func increment(_ labels: [String] = [], by amount: Double = 1) {
        guard amount >= 0 else { return }
        series.update(labels) { $0 += amount }
    }

    /// The current value of a series (tests).
    public func value(_ labels: [String] = []) -> Double { series.value(labels) }

    /// Drops the series whose labels have all of these values, by label name (their subject is gone).
    public func removeSeries(matching labels: [String: String]) { series.remove(matching: labels) }

    func family() -> MetricFamily { series.family() }
}

/// A gauge family: values go up and down.
public final class Gauge: MetricSource {
    private let series: ScalarSeries

    init(name: String, help: String, labelNames: [String]) {
        series = ScalarSeries(name: name, help: help, labelNames: labelNames, kind: .gauge)
    }

    /// Sets a series.
    public func set(_ labels: [String] = [], _ value: Double) {
        series.update(labels) { $0 = value }
    }

    /// Adds `delta` (may be negative) to a series.
    public func add(_ labels: [String] = [], _ delta: Double) {
        series.update(labels) { $0 += delta }
    }

    /// The current value of a series (tests).
    public func value(_ labels: [String] = []) -> Double { series.value(labels) }

    func family() -> MetricFamily { series.family() }
}

/// A histogram family with fixed buckets.
public final class Histogram: MetricSource {
    struct State: Sendable {
        var counts: [UInt64]
        var sum: Double = 0
        var count: UInt64 = 0
    }

    let name: String
    let help: String
    let labelNames: [String]
    let buckets: [Double]
    private let states = Mutex<[[String]: State]>([:])

    init(name: String, help: String, labelNames: [String], buckets: [Double]) {
        self.name = name
        self.help = help
        self.labelNames = labelNames
        self.buckets = buckets.sorted()
    }

    /// Records one observation in the series with `labels`.
    public func observe(_ value: Double, _ labels: [String] = []) {
        states.withLock { states in
            var state = states[labels] ?? State(counts: Array(repeating: 0, count: buckets.count))
            // Buckets are stored non-cumulative and summed at scrape time.
            if let index = buckets.firstIndex(where: { value <= $0 }) { state.counts[index] += 1 }
            state.sum += value
            state.count += 1
            states[labels] = state
        }
    }

    /// Records a duration in seconds.
    public func observe(_ duration: Duration, _ labels: [String] = []) {
        let (seconds, attoseconds) = duration.components
        observe(Double(seconds) + Double(attoseconds) / 1e18, labels)
    }

    /// The number of observations of a series (tests).
    public func count(_ labels: [String] = []) -> UInt64 {
        states.withLock { $0[labels]?.count ?? 0 }
    }

    /// Drops the series whose labels have all of these values, by label name (their subject is gone).
    public func removeSeries(matching labels: [String: String]) {
        guard let match = LabelMatch(labels, labelNames: labelNames) else { return }
        states.withLock { states in states = states.filter { !match.matches($0.key) } }
    }

    func family() -> MetricFamily {
        let snapshot = states.withLock { $0 }
        let bounds = buckets
        return MetricFamily(
            name: name, help: help, kind: .histogram, labelNames: labelNames,
            series: snapshot.map { labels, state in
                var running: UInt64 = 0
                let cumulative = zip(bounds, state.counts).map { bound, count -> HistogramBucket in
                    running += count
                    return HistogramBucket(upperBound: bound, count: running)
                }
                return .init(labels, .histogram(buckets: cumulative, sum: state.sum, count: state.count))
            })
    }
}
