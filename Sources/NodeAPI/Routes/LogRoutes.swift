import CRI
import ContainerLogs
import EventHTTP
import KubeTypes
import Logging
import NodeAgent

/// `/containerLogs/{namespace}/{pod}[/{container}]` (kubelet's paths) and `/logs/{namespace}/{pod}/{container}`:
/// a container's output, decoded from the CRI log format, as `text/plain`.
///
/// The body is always streamed: a 50 MB log is sent as it is read, never held in memory, and `follow` keeps the
/// response open until the container has terminated and its file is drained, or the client leaves.
public struct LogRoutes: Sendable {
    private let containers: (any ContainerLocating)?
    private let runtime: (any ContainerRuntime)?
    private let configuration: ContainerLogReader.Configuration
    private let logger: Logger
    /// How often a streaming response checks that its client is still connected while the log is quiet.
    private let disconnectCheckInterval: Duration

    /// Routes over a locator and the runtime (asked whether a followed container has terminated); either nil makes
    /// the routes answer 503.
    public init(containers: (any ContainerLocating)?, runtime: (any ContainerRuntime)?,
                configuration: ContainerLogReader.Configuration = .init(),
                logger: Logger = Logger(label: "swiftlet.logs"),
                disconnectCheckInterval: Duration = .milliseconds(100)) {
        self.containers = containers
        self.runtime = runtime
        self.configuration = configuration
        self.logger = logger
        self.disconnectCheckInterval = disconnectCheckInterval
    }

    /// The route table rows.
    public var routes: [APIRoute] {
        [
            APIRoute("GET", "/containerLogs/{namespace}/{pod}/{container}", access: .resource("pods/log")) { request, context in
                try await StatusResponses.handling { try await logs(request, context, container: try context.parameter("container")) }
            },
            APIRoute("GET", "/containerLogs/{namespace}/{pod}", access: .resource("pods/log")) { request, context in
                try await StatusResponses.handling { try await logs(request, context, container: nil) }
            },
            APIRoute("GET", "/logs/{namespace}/{pod}/{container}", access: .resource("pods/log")) { request, context in
                try await StatusResponses.handling { try await logs(request, context, container: try context.parameter("container")) }
            },
        ]
    }

    private func logs(_ request: HTTPRequest, _ context: RouteContext, container: String?) async throws -> HTTPResponse {
        guard let containers, let runtime else {
            throw APIStatusError(.serviceUnavailable("container logs are not available on this node"))
        }
        let query = try LogQuery(request.query)
        let target = try await containers.locate(
            namespace: try context.parameter("namespace"), pod: try context.parameter("pod"),
            container: container, previous: query.previous)
        let stream: ContainerLogStream
        do {
            stream = try ContainerLogReader(path: target.logPath, configuration: configuration, logger: logger)
                .open(query.options, isTerminated: Self.terminationCheck(target, runtime: runtime, follow: query.options.follow))
        } catch .logFileNotFound {
            throw APIStatusError(.failure(
                code: 404, reason: StatusReason.notFound,
                message: "the log of container \"\(target.containerName)\" in pod \"\(target.podName)\" is gone (log file \(target.logPath) does not exist)"))
        } catch .invalidOptions(let message) {
            throw APIStatusError(.badRequest(message))
        } catch {
            throw APIStatusError(.internalError("opening the log of container \(target.containerID): \(error)"))
        }
        let owned = OwnedLogStream(stream)
        let interval = disconnectCheckInterval
        let logger = self.logger
        var response = HTTPResponse(status: 200, body: .stream { writer in
            await LogStreaming.send(owned, to: writer, disconnectCheckInterval: interval, logger: logger,
                                    containerID: target.containerID)
        })
        response.headers.set("Content-Type", "text/plain")
        return response
    }

    /// Whether a followed container has ended: asked by the reader when the file is idle. A terminated or
    /// previous instance ends at once; a runtime that does not answer (containerd restarting) does not end the
    /// follow, a container the runtime no longer knows does.
    private static func terminationCheck(_ target: ContainerTarget, runtime: any ContainerRuntime, follow: Bool)
        -> @Sendable () async -> Bool
    {
        guard follow, target.isRunning else { return { true } }
        let id = target.containerID
        return {
            do {
                return try await runtime.containerStatus(id: id, verbose: false).status.state != .containerRunning
            } catch let error as CRIError where error.isNotFound {
                return true
            } catch {
                return false
            }
        }
    }
}

/// Hands a `ContainerLogStream` (not Sendable: single-pass, one consumer) from the request handler to the task that
/// streams the body. Exactly one task iterates it; the box only carries it across the `@Sendable` boundary.
final class OwnedLogStream: @unchecked Sendable {
    let stream: ContainerLogStream

    init(_ stream: ContainerLogStream) {
        self.stream = stream
    }
}

/// Copies a log stream to a chunked response.
enum LogStreaming {
    /// Writes every chunk; returns when the log ends, the client leaves (noticed by a failed write or by polling
    /// `isClientConnected` while the log is quiet), or the server shuts down. The stream's descriptors and inotify
    /// watch are released before returning in every case.
    static func send(_ owned: OwnedLogStream, to writer: any BodyWriter, disconnectCheckInterval: Duration,
                     logger: Logger, containerID: String) async {
        defer { owned.stream.close() }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    for try await chunk in owned.stream {
                        try await writer.write(chunk)
                    }
                } catch is HTTPClientGone {
                    return
                } catch {
                    // The status line is long gone: all that can be done is end the body early and say why here.
                    logger.warning("container log stream ended by an error",
                                   metadata: ["containerID": "\(containerID)", "error": "\(error)"])
                }
            }
            group.addTask {
                // A follow waiting on a quiet file writes nothing, so a departed client is noticed only by asking.
                while writer.isClientConnected {
                    do { try await Task.sleep(for: disconnectCheckInterval) } catch { return }
                }
            }
            await group.next()
            group.cancelAll()
        }
    }
}
