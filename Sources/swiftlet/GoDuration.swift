import SystemSupport

/// Parses durations written as Kubernetes flags write them: `1s`, `200ms`, `1m30s`, `2h`.
enum GoDuration {
    struct ParseError: Error, CustomStringConvertible {
        var text: String
        var description: String { "invalid duration \"\(text)\": use a number with a unit such as 500ms, 1s, 2m, 1h" }
    }

    static func parse(_ text: String) throws -> Duration {
        let units: [(String, Double)] = [("ms", 1e-3), ("us", 1e-6), ("µs", 1e-6), ("ns", 1e-9), ("h", 3600), ("m", 60), ("s", 1)]
        var rest = Substring(text.trimmingWhitespace())
        guard !rest.isEmpty else { throw ParseError(text: text) }
        var seconds = 0.0
        while !rest.isEmpty {
            let number = rest.prefix(while: { $0.isNumber || $0 == "." })
            guard !number.isEmpty, let value = Double(number) else { throw ParseError(text: text) }
            rest = rest.dropFirst(number.count)
            guard let unit = units.first(where: { rest.hasPrefix($0.0) }) else { throw ParseError(text: text) }
            rest = rest.dropFirst(unit.0.count)
            seconds += value * unit.1
        }
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }
}
