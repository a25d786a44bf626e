import ArgumentParser
import KubeTypes
import SystemSupport

/// kubelet's `--system-reserved`: resources kept back from pods, written `cpu=500m,memory=1Gi`.
enum SystemReserved {
    /// The flag's text as a map; nil when the flag is absent. Throws a usage error for an entry without `=`.
    static func parseFlag(_ text: String?) throws -> [String: String]? {
        guard let text else { return nil }
        var result: [String: String] = [:]
        for entry in text.split(separator: ",") {
            let parts = entry.split(separator: "=", maxSplits: 1).map { $0.trimmingWhitespace() }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw ValidationError("--system-reserved: \"\(entry)\" is not name=quantity (e.g. cpu=500m,memory=1Gi)")
            }
            result[parts[0]] = parts[1]
        }
        return result
    }

    /// Millicores and bytes of a reservation map. Only `cpu` and `memory` are understood, as this node admits
    /// pods on those two; anything else is an error rather than a reservation silently ignored.
    static func parse(_ reserved: [String: String]) throws -> (cpuMillis: Int64, memoryBytes: Int64) {
        var cpu: Int64 = 0
        var memory: Int64 = 0
        for (name, text) in reserved {
            let quantity: Quantity
            do {
                quantity = try Quantity(parsing: text)
            } catch {
                throw ValidationError("system reserved \(name)=\(text): \(error)")
            }
            switch name {
            case "cpu": cpu = quantity.milliValue
            case "memory": memory = quantity.value
            default:
                throw ValidationError("system reserved: unknown resource \"\(name)\"; use cpu and memory")
            }
            if cpu < 0 || memory < 0 { throw ValidationError("system reserved \(name)=\(text) is negative") }
        }
        return (cpu, memory)
    }
}
