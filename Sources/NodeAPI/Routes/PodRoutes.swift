import EventHTTP
import FoundationEssentials
import KubeTypes
import NodeAgent

/// `/pods`, `/runningpods` and the events routes: the front door for pushing and observing pods.
public struct PodRoutes: Sendable {
    private let pods: PodService
    /// How many watch events may wait for a slow client before it is dropped with an error.
    private let watchBufferLimit: Int
    /// How often watches that asked for bookmarks get one.
    private let bookmarkInterval: Duration

    /// Creates the routes over `pods`.
    public init(pods: PodService, watchBufferLimit: Int = 1000, bookmarkInterval: Duration = .seconds(60)) {
        self.pods = pods
        self.watchBufferLimit = watchBufferLimit
        self.bookmarkInterval = bookmarkInterval
    }

    /// The route table rows.
    public var routes: [APIRoute] {
        [
            APIRoute("POST", "/pods", access: .resource("pods")) { request, _ in
                try await StatusResponses.handling { try await create(request) }
            },
            APIRoute("GET", "/pods", access: .resource("pods")) { request, _ in
                try await StatusResponses.handling { try await list(request, namespace: nil) }
            },
            APIRoute("GET", "/pods/{namespace}", access: .resource("pods")) { request, context in
                try await StatusResponses.handling { try await list(request, namespace: context.parameter("namespace")) }
            },
            APIRoute("GET", "/pods/{namespace}/{name}", access: .resource("pods")) { _, context in
                try await StatusResponses.handling { try await get(try key(context)) }
            },
            APIRoute("DELETE", "/pods/{namespace}/{name}", access: .resource("pods")) { request, context in
                try await StatusResponses.handling { try await delete(request, try key(context)) }
            },
            APIRoute("GET", "/runningpods", access: .resource("pods")) { _, _ in
                try await StatusResponses.handling { try await runningPods() }
            },
            APIRoute("GET", "/events", access: .resource("events")) { request, _ in
                try await StatusResponses.handling {
                    let namespace = request.query["namespace"].flatMap { $0.isEmpty ? nil : $0 }
                    return try events(namespace: namespace, podName: nil)
                }
            },
            APIRoute("GET", "/pods/{namespace}/{name}/events", access: .resource("events")) { _, context in
                try await StatusResponses.handling {
                    let key = try key(context)
                    guard await pods.get(key) != nil else { throw APIStatusError(.notFound(resource: "pods", name: key.name)) }
                    return try events(namespace: key.namespace, podName: key.name)
                }
            },
        ]
    }

    private func key(_ context: RouteContext) throws -> ObjectKey {
        ObjectKey(namespace: try context.parameter("namespace"), name: try context.parameter("name"))
    }

    private func create(_ request: HTTPRequest) async throws -> HTTPResponse {
        let contentType = request.headers["Content-Type"]
        if let contentType, !Self.acceptedContentTypes.contains(where: { contentType.lowercased().hasPrefix($0) }) {
            throw APIStatusError(Status.failure(
                code: 415, reason: "UnsupportedMediaType",
                message: "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml"))
        }
        let pod = try KubeDocument.decode(Pod.self, from: request.body, contentType: contentType)
        let created = try await pods.create(pod)
        return try StatusResponses.json(created, status: 201)
    }

    private static let acceptedContentTypes = ["application/json", "application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"]

    private func get(_ key: ObjectKey) async throws -> HTTPResponse {
        guard let pod = await pods.get(key) else {
            throw APIStatusError(.notFound(resource: "pods", name: key.name))
        }
        return try StatusResponses.json(pod)
    }

    private func list(_ request: HTTPRequest, namespace: String?) async throws -> HTTPResponse {
        let query = try PodQuery(request: request, pathNamespace: namespace)
        if query.watch { return try await watch(query) }
        var body: [UInt8] = []
        let version: String
        if query.selectsEverything {
            let joined = await pods.listEncodedJoined()
            version = joined.resourceVersion
            body.reserveCapacity(joined.json.count + 96)
            appendListHead(version, to: &body)
            body.append(contentsOf: joined.json)
        } else {
            // Assembled from each pod's cached encoding: a list costs a copy, not an encode per pod.
            let (items, listVersion) = await pods.listEncoded(where: query.predicate)
            version = listVersion
            body.reserveCapacity(items.reduce(96) { $0 + $1.count + 1 })
            appendListHead(version, to: &body)
            for (index, item) in items.enumerated() {
                if index > 0 { body.append(UInt8(ascii: ",")) }
                body.append(contentsOf: item)
            }
        }
        body.append(contentsOf: "]}".utf8)
        return .json(body)
    }

    private func appendListHead(_ version: String, to body: inout [UInt8]) {
        body.append(contentsOf: #"{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":""#.utf8)
        body.append(contentsOf: version.utf8)
        body.append(contentsOf: #""},"items":["#.utf8)
    }

    private func watch(_ query: PodQuery) async throws -> HTTPResponse {
        let watch = try await pods.watch(
            fromResourceVersion: query.resourceVersion, filter: query.predicate, bufferLimit: watchBufferLimit,
            bookmarkInterval: query.allowBookmarks ? bookmarkInterval : nil)
        let timeout = query.timeout
        var response = HTTPResponse(status: 200, body: .stream { writer in
            let timer = timeout.map { limit in
                Task {
                    try? await Task.sleep(for: limit)
                    watch.cancel()
                }
            }
            defer {
                timer?.cancel()
                watch.cancel()
            }
            for await event in watch {
                try await writer.write(WatchEventEncoding.line(for: event))
            }
        })
        response.headers.set("Content-Type", "application/json")
        return response
    }

    private func delete(_ request: HTTPRequest, _ key: ObjectKey) async throws -> HTTPResponse {
        var grace: Int64?
        var uid: String?
        if !request.body.isEmpty {
            let options = try KubeDocument.decode(DeleteOptions.self, from: request.body, contentType: request.headers["Content-Type"])
            grace = options.gracePeriodSeconds
            uid = options.preconditions?.uid
        }
        if let text = request.query["gracePeriodSeconds"] {
            guard let value = Int64(text) else {
                throw APIStatusError(.badRequest("gracePeriodSeconds must be an integer, got \"\(text)\""))
            }
            grace = value
        }
        let pod = try await pods.delete(key, gracePeriodSeconds: grace, uid: uid)
        return try StatusResponses.json(pod)
    }

    private func runningPods() async throws -> HTTPResponse {
        let (items, version) = await pods.list { pod in
            (pod.status.containerStatuses ?? []).contains { $0.state?.running != nil }
        }
        return try StatusResponses.json(PodList(apiVersion: "v1", kind: "PodList", metadata: ListMeta(resourceVersion: version), items: items))
    }

    private func events(namespace: String?, podName: String?) throws -> HTTPResponse {
        let items = pods.eventRecorder.events(namespace: namespace, podName: podName)
        return try StatusResponses.json(EventList(kind: "EventList", apiVersion: "v1", metadata: ListMeta(), items: items))
    }
}

/// One newline-terminated watch event, as the Kubernetes API streams them.
enum WatchEventEncoding {
    static func line(for event: StoreWatchEvent<Pod>) throws -> [UInt8] {
        var line: [UInt8] = []
        switch event {
        case let .added(pod): try append("ADDED", pod, to: &line)
        case let .modified(pod): try append("MODIFIED", pod, to: &line)
        case let .deleted(pod): try append("DELETED", pod, to: &line)
        case let .bookmark(version):
            line.append(contentsOf: #"{"type":"BOOKMARK","object":{"kind":"Pod","apiVersion":"v1","metadata":{"resourceVersion":""#.utf8)
            line.append(contentsOf: version.utf8)
            line.append(contentsOf: "\"}}}\n".utf8)
        case let .error(failure):
            let status: Status
            switch failure {
            case .expired: status = .expired(failure.message)
            case .resourceVersionTooLarge: status = .timeout(failure.message)
            case .tooSlow: status = .internalError(failure.message)
            }
            try append("ERROR", status, to: &line)
        }
        return line
    }

    private static func append<T: Encodable>(_ type: String, _ object: T, to line: inout [UInt8]) throws {
        line.append(contentsOf: #"{"type":""#.utf8)
        line.append(contentsOf: type.utf8)
        line.append(contentsOf: #"","object":"#.utf8)
        try KubeJSON.encode(object, into: &line)
        line.append(contentsOf: "}\n".utf8)
    }
}
