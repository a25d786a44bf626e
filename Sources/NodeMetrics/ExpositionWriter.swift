/// Writes metric families in Prometheus text format 0.0.4 or OpenMetrics 1.0.0.
///
/// Swiftlet writes its own exposition rather than use swift-prometheus (2.4.1 in the package mirror): that library
/// emits only text 0.0.4, lists families in dictionary order (different from run to run) and has no OpenMetrics
/// output, which Prometheus asks for first. The cAdvisor and resource families are rebuilt from the stats cache on
/// every scrape anyway, so a registry of long-lived instruments would not fit them; one small writer serves every
/// endpoint and keeps the dependency set (and CI build time) unchanged.
///
/// Output is deterministic: families sorted by name, series sorted by label values, labels in declared order.
/// HELP text escapes `\` and newline (OpenMetrics also `"`); label values escape `\`, `"` and newline.
public enum ExpositionWriter {
    /// Renders `families` in `format`.
    public static func render(_ families: [MetricFamily], format: ExpositionFormat) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(4096 + families.reduce(0) { $0 + $1.series.count * 160 })
        for family in families.sorted(by: { $0.name < $1.name }) {
            write(family, format: format, into: &out)
        }
        if format == .openMetrics { out.append(contentsOf: "# EOF\n".utf8) }
        return out
    }

    private static func write(_ family: MetricFamily, format: ExpositionFormat, into out: inout [UInt8]) {
        // OpenMetrics names a counter family without `_total` and requires the suffix on its samples.
        var familyName = family.name
        var sampleName = family.name
        if format == .openMetrics && family.kind == .counter {
            if familyName.hasSuffix("_total") { familyName.removeLast(6) } else { sampleName += "_total" }
        }
        out.append(contentsOf: "# HELP \(familyName) ".utf8)
        appendEscaped(family.help, quotes: format == .openMetrics, into: &out)
        out.append(contentsOf: "\n# TYPE \(familyName) \(family.kind.rawValue)\n".utf8)
        let series = family.series.sorted { $0.labelValues.lexicographicallyPrecedes($1.labelValues) }
        for entry in series {
            switch entry.value {
            case let .scalar(value):
                sample(sampleName, family.labelNames, entry.labelValues, nil, value, into: &out)
            case let .histogram(buckets, sum, count):
                for bucket in buckets {
                    sample(family.name + "_bucket", family.labelNames, entry.labelValues,
                           ("le", formatBound(bucket.upperBound, format)), Double(bucket.count), into: &out)
                }
                sample(family.name + "_bucket", family.labelNames, entry.labelValues, ("le", "+Inf"), Double(count), into: &out)
                sample(family.name + "_sum", family.labelNames, entry.labelValues, nil, sum, into: &out)
                sample(family.name + "_count", family.labelNames, entry.labelValues, nil, Double(count), into: &out)
            }
        }
    }

    private static func sample(
        _ name: String, _ labelNames: [String], _ labelValues: [String], _ extra: (String, String)?, _ value: Double,
        into out: inout [UInt8]
    ) {
        out.append(contentsOf: name.utf8)
        if !labelNames.isEmpty || extra != nil {
            out.append(UInt8(ascii: "{"))
            var first = true
            for (index, label) in labelNames.enumerated() {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                out.append(contentsOf: label.utf8)
                out.append(contentsOf: "=\"".utf8)
                appendEscaped(index < labelValues.count ? labelValues[index] : "", quotes: true, into: &out)
                out.append(UInt8(ascii: "\""))
            }
            if let (label, text) = extra {
                if !first { out.append(UInt8(ascii: ",")) }
                out.append(contentsOf: "\(label)=\"\(text)\"".utf8)
            }
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: " "))
        out.append(contentsOf: formatValue(value).utf8)
        out.append(UInt8(ascii: "\n"))
    }

    /// Escapes `\`, newline and (in label values and OpenMetrics help) `"`.
    static func appendEscaped(_ text: String, quotes: Bool, into out: inout [UInt8]) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): out.append(contentsOf: #"\\"#.utf8)
            case UInt8(ascii: "\n"): out.append(contentsOf: #"\n"#.utf8)
            case UInt8(ascii: "\"") where quotes: out.append(contentsOf: #"\""#.utf8)
            default: out.append(byte)
            }
        }
    }

    /// Integers without a fraction, special values as Prometheus spells them, others in Swift's shortest
    /// round-trip form (which Go's ParseFloat reads).
    static func formatValue(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value == .infinity { return "+Inf" }
        if value == -.infinity { return "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    /// OpenMetrics wants bucket bounds as floats ("1.0"); text format keeps Go's shortest form ("1").
    private static func formatBound(_ bound: Double, _ format: ExpositionFormat) -> String {
        let text = formatValue(bound)
        if format == .openMetrics, bound.isFinite, !text.contains("."), !text.contains("e") { return text + ".0" }
        return text
    }
}
