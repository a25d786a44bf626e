import EventHTTP
import KubeTypes
import NodeAgent

/// The list and watch parameters of `GET /pods`, parsed and checked once.
struct PodQuery: Sendable {
    var namespace: String?
    var labelSelector: LabelSelector?
    var fieldSelector: FieldSelector?
    var watch: Bool
    var resourceVersion: String?
    var timeout: Duration?
    var allowBookmarks: Bool

    init(request: HTTPRequest, pathNamespace: String?) throws {
        let query = request.query
        namespace = pathNamespace ?? query["namespace"].flatMap { $0.isEmpty ? nil : $0 }
        do {
            labelSelector = try query["labelSelector"].flatMap { $0.isEmpty ? nil : try LabelSelector(parsing: $0) }
        } catch {
            throw APIStatusError(.badRequest("unable to parse requirement: \(error)"))
        }
        do {
            fieldSelector = try query["fieldSelector"].flatMap { $0.isEmpty ? nil : try FieldSelector(parsing: $0) }
        } catch {
            throw APIStatusError(.badRequest("\(error)"))
        }
        watch = try Self.boolean(query["watch"], name: "watch")
        allowBookmarks = try Self.boolean(query["allowWatchBookmarks"], name: "allowWatchBookmarks")
        resourceVersion = query["resourceVersion"]
        if let text = query["timeoutSeconds"] {
            guard let seconds = Int64(text), seconds >= 0 else {
                throw APIStatusError(.badRequest("timeoutSeconds must be a non-negative integer, got \"\(text)\""))
            }
            timeout = seconds == 0 ? nil : .seconds(seconds)
        }
    }

    /// Whether the query selects every pod (no namespace and no selectors).
    var selectsEverything: Bool { namespace == nil && labelSelector == nil && fieldSelector == nil }

    /// Whether `pod` is selected by the namespace and both selectors.
    var predicate: @Sendable (Pod) -> Bool {
        let namespace = self.namespace, labels = self.labelSelector, fields = self.fieldSelector
        return { pod in
            if let namespace, (pod.metadata.namespace ?? "default") != namespace { return false }
            if let labels, !labels.matches(pod.metadata.labels ?? [:]) { return false }
            if let fields, !fields.matches(pod) { return false }
            return true
        }
    }

    private static func boolean(_ value: String?, name: String) throws -> Bool {
        switch value {
        case nil, "", "false", "0": return false
        case "true", "1": return true
        case let other?: throw APIStatusError(.badRequest("\(name) must be true or false, got \"\(other)\""))
        }
    }
}
