import EventHTTP
import KubeTypes
import NodeAgent

/// Strict parsing of query parameters: a value that cannot be used is a 400 `BadRequest` naming the parameter,
/// never silently ignored.
struct QueryValues {
    let query: QueryParameters

    /// A boolean: absent → nil; empty, `1`, `t`, `true` → true; `0`, `f`, `false` → false (case-insensitive, as Go's
    /// `strconv.ParseBool`; an empty value means "present", as in `?follow`).
    func bool(_ name: String) throws -> Bool? {
        guard let text = query[name] else { return nil }
        switch text.lowercased() {
        case "", "1", "t", "true": return true
        case "0", "f", "false": return false
        default: throw invalid(name, text, "must be true or false")
        }
    }

    /// An integer of at least `minimum`; absent → nil.
    func integer(_ name: String, minimum: Int) throws -> Int? {
        guard let text = query[name] else { return nil }
        guard let value = Int(text) else { throw invalid(name, text, "must be an integer") }
        guard value >= minimum else {
            throw invalid(name, text, "must be greater than or equal to \(minimum)")
        }
        return value
    }

    /// 400 `invalid value "x" for query parameter name: why`.
    func invalid(_ name: String, _ value: String, _ why: String) -> APIStatusError {
        APIStatusError(.badRequest("invalid value \(goQuoted(value)) for query parameter \(name): \(why)"))
    }

    private func goQuoted(_ text: String) -> String {
        var quoted = "\""
        // By scalar, so that a quote is escaped even when a combining mark follows it.
        for scalar in text.unicodeScalars {
            if scalar == "\\" || scalar == "\"" { quoted.unicodeScalars.append("\\") }
            quoted.unicodeScalars.append(scalar)
        }
        return quoted + "\""
    }
}
