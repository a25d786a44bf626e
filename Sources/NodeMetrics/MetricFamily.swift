/// A metric family ready to be written out: name, help, type and series. Built fresh for every scrape, either from
/// Swiftlet's own instruments (`MetricsRegistry`) or from the stats cache.
public struct MetricFamily: Sendable, Equatable {
    /// The Prometheus metric types Swiftlet emits.
    public enum Kind: String, Sendable {
        /// A monotonically increasing value.
        case counter
        /// A value that goes up and down.
        case gauge
        /// Cumulative buckets with a sum and a count.
        case histogram
    }

    /// One series of the family.
    public struct Series: Sendable, Equatable {
        /// Values of the family's labels, in `labelNames` order.
        public var labelValues: [String]
        /// The value.
        public var value: Value

        /// Creates a series.
        public init(_ labelValues: [String], _ value: Value) {
            self.labelValues = labelValues
            self.value = value
        }
    }

    /// A series' value.
    public enum Value: Sendable, Equatable {
        /// A counter or gauge value.
        case scalar(Double)
        /// Histogram buckets (upper bound, cumulative count), ascending, without +Inf; then sum and count.
        case histogram(buckets: [HistogramBucket], sum: Double, count: UInt64)
    }

    /// The family's name (for counters, with the `_total` suffix kubelet uses, if any).
    public var name: String
    /// One line of help text.
    public var help: String
    /// The type.
    public var kind: Kind
    /// Label names, in the order series list their values.
    public var labelNames: [String]
    /// The series.
    public var series: [Series]

    /// Creates a family.
    public init(name: String, help: String, kind: Kind, labelNames: [String] = [], series: [Series]) {
        self.name = name
        self.help = help
        self.kind = kind
        self.labelNames = labelNames
        self.series = series
    }
}

/// One cumulative histogram bucket.
public struct HistogramBucket: Sendable, Equatable {
    /// The bucket's upper bound (`le`).
    public var upperBound: Double
    /// Observations less than or equal to the bound.
    public var count: UInt64

    /// Creates a bucket.
    public init(upperBound: Double, count: UInt64) {
        self.upperBound = upperBound
        self.count = count
    }
}
