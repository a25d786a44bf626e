import SystemSupport

/// The two exposition formats Swiftlet writes, chosen from the scraper's `Accept` header.
public enum ExpositionFormat: Sendable, Equatable {
    /// Prometheus text format 0.0.4, the default.
    case text
    /// OpenMetrics 1.0.0, when the scraper prefers it (Prometheus asks for it first by default).
    case openMetrics

    /// The response's Content-Type.
    public var contentType: String {
        switch self {
        case .text: return "text/plain; version=0.0.4; charset=utf-8"
        case .openMetrics: return "application/openmetrics-text; version=1.0.0; charset=utf-8"
        }
    }

    /// OpenMetrics when `accept` ranks `application/openmetrics-text` (version 1.0.0 or unversioned) at least as
    /// high as any text/plain or wildcard entry; text otherwise, including when the header is absent.
    public static func negotiate(accept: String?) -> ExpositionFormat {
        guard let accept else { return .text }
        var openMetricsQ = -1.0
        var otherQ = -1.0
        for entry in accept.split(separator: ",") {
            let parts = entry.split(separator: ";").map { $0.trimmingWhitespace() }
            guard let type = parts.first?.lowercased() else { continue }
            var q = 1.0
            var version: String?
            for parameter in parts.dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingWhitespace() }
                guard pair.count == 2 else { continue }
                if pair[0].lowercased() == "q" { q = Double(pair[1]) ?? 0 }
                if pair[0].lowercased() == "version" { version = pair[1] }
            }
            guard q > 0 else { continue }
            if type == "application/openmetrics-text" {
                if version == nil || version == "1.0.0" { openMetricsQ = max(openMetricsQ, q) }
            } else if type == "text/plain" || type == "*/*" || type == "text/*" {
                otherQ = max(otherQ, q)
            }
        }
        return openMetricsQ >= 0 && openMetricsQ >= otherQ ? .openMetrics : .text
    }
}
