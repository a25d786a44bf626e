import CRI
import EventHTTP
import FoundationEssentials
import KubeTypes
import NodeAgent

/// Handles an exec request that asks for a WebSocket upgrade (interactive exec): filled in by the streaming code.
public typealias ExecUpgradeHandler = @Sendable (HTTPRequest, RouteContext) async throws -> HTTPResponse

/// `POST /exec/{namespace}/{pod}/{container}` and `POST /run/{namespace}/{pod}/{container}`: run a command to
/// completion through CRI `ExecSync`.
///
/// `/exec` answers `application/json` `{"exitCode":N,"stdout":"...","stderr":"..."}`, or with `output=raw` the
/// command's stdout as `text/plain` and its exit code in the `X-Swiftlet-Exit-Code` header. `/run` is kubelet's
/// one-shot form: `cmd` split on whitespace, stdout then stderr as `text/plain`, exit code in the same header.
/// A non-zero exit code is a result (200), not an error. An `/exec` request carrying `Upgrade: websocket` is handed
/// to `upgradeHandler`, the interactive stream.
public struct ExecRoutes: Sendable {
    /// The response header that carries the command's exit code for `output=raw` and `/run`.
    public static let exitCodeHeader = "X-Swiftlet-Exit-Code"
    /// `timeoutSeconds` when the request gives none, as kubelet's default for one-shot exec.
    public static let defaultTimeoutSeconds = 60

    private let containers: (any ContainerLocating)?
    private let runtime: (any ContainerRuntime)?
    private let upgradeHandler: ExecUpgradeHandler?

    /// Routes over a locator and the runtime (either nil: 503), with the interactive handler when there is one.
    public init(containers: (any ContainerLocating)?, runtime: (any ContainerRuntime)?,
                upgradeHandler: ExecUpgradeHandler?) {
        self.containers = containers
        self.runtime = runtime
        self.upgradeHandler = upgradeHandler
    }

    /// The route table rows. Both need `create` on `pods/exec`, whatever the method, so the viewer role never
    /// runs commands.
    public var routes: [APIRoute] {
        [
            APIRoute("POST", "/exec/{namespace}/{pod}/{container}", access: .resource("pods/exec", verb: "create")) { request, context in
                if Self.isUpgrade(request) {
                    guard let upgradeHandler else {
                        return StatusResponses.response(.badRequest(
                            "interactive exec needs the WebSocket stream handler, which this node was not built with; send the request without an Upgrade header to run a command to completion"))
                    }
                    return try await upgradeHandler(request, context)
                }
                return try await StatusResponses.handling {
                    let command = request.query.all("command")
                    guard !command.isEmpty else {
                        throw APIStatusError(.badRequest("you must specify at least 1 command (query parameter command, repeated for each argument)"))
                    }
                    let output = request.query["output"] ?? "json"
                    guard output == "json" || output == "raw" else {
                        throw QueryValues(query: request.query).invalid("output", output, "must be json or raw")
                    }
                    let result = try await run(command, request, context)
                    return output == "raw" ? Self.raw(result.stdout, exitCode: result.exitCode) : try Self.json(result)
                }
            },
            APIRoute("POST", "/run/{namespace}/{pod}/{container}", access: .resource("pods/exec", verb: "create")) { request, context in
                try await StatusResponses.handling {
                    // kubelet splits cmd on spaces with no shell quoting; runs of blanks do not make empty arguments.
                    let command = (request.query["cmd"] ?? "").split(whereSeparator: \.isWhitespace).map(String.init)
                    guard !command.isEmpty else {
                        throw APIStatusError(.badRequest("you must specify a command (query parameter cmd)"))
                    }
                    let result = try await run(command, request, context)
                    return Self.raw(result.stdout + result.stderr, exitCode: result.exitCode)
                }
            },
        ]
    }

    /// Whether the request asks to switch protocols (`Connection: Upgrade` + `Upgrade: websocket`, or either alone:
    /// any upgrade request is the interactive handler's to accept or refuse).
    static func isUpgrade(_ request: HTTPRequest) -> Bool {
        request.headers["Upgrade"].map { !$0.isEmpty } ?? false
    }

    private func run(_ command: [String], _ request: HTTPRequest, _ context: RouteContext) async throws -> ExecSyncResult {
        guard let containers, let runtime else {
            throw APIStatusError(.serviceUnavailable("exec is not available on this node"))
        }
        let timeoutSeconds = try QueryValues(query: request.query).integer("timeoutSeconds", minimum: 0)
            ?? Self.defaultTimeoutSeconds
        let target = try await containers.locate(
            namespace: try context.parameter("namespace"), pod: try context.parameter("pod"),
            container: try context.parameter("container"), previous: false)
        guard target.isRunning else {
            throw APIStatusError(.badRequest(
                "cannot exec in container \"\(target.containerName)\" in pod \"\(target.podName)\": the container is not running"))
        }
        do {
            return try await runtime.execSync(
                id: target.containerID, command: command,
                timeout: timeoutSeconds == 0 ? nil : .seconds(timeoutSeconds))
        } catch let error as CRIError {
            if error.code == .deadlineExceeded || error.message.contains("timeout") {
                throw APIStatusError(.timeout("command did not finish within \(timeoutSeconds) s (\(error.message))"))
            }
            if error.isNotFound {
                throw APIStatusError(.failure(code: 404, reason: StatusReason.notFound,
                                              message: "container \(target.containerID) is gone: \(error.message)"))
            }
            throw APIStatusError(.internalError("exec in container \(target.containerID): \(error)"))
        }
    }

    private static func raw(_ bytes: Data, exitCode: Int32) -> HTTPResponse {
        var response = HTTPResponse(status: 200, body: .bytes(Array(bytes)))
        response.headers.set("Content-Type", "text/plain")
        response.headers.set(exitCodeHeader, String(exitCode))
        return response
    }

    private static func json(_ result: ExecSyncResult) throws -> HTTPResponse {
        var response = try StatusResponses.json(ExecResultBody(
            exitCode: result.exitCode,
            stdout: String(decoding: result.stdout, as: UTF8.self),
            stderr: String(decoding: result.stderr, as: UTF8.self)))
        response.headers.set(exitCodeHeader, String(result.exitCode))
        return response
    }
}

/// The JSON answer of a one-shot exec. Output that is not UTF-8 is repaired (U+FFFD); `output=raw` keeps bytes.
struct ExecResultBody: Encodable {
    var exitCode: Int32
    var stdout: String
    var stderr: String
}
