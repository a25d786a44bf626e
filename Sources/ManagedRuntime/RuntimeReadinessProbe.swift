import CRI
import Logging
import SystemSupport

/// Whether a runtime can run pods: its CRI `RuntimeReady` and `NetworkReady` conditions.
public struct RuntimeReadiness: Sendable, Hashable, CustomStringConvertible {
    /// `RuntimeReady` is reported and true.
    public var runtimeReady: Bool
    /// `NetworkReady` is reported and true (CNI is configured).
    public var networkReady: Bool
    /// The runtime's reasons and messages for conditions that do not hold.
    public var detail: String

    /// Creates a value.
    public init(runtimeReady: Bool, networkReady: Bool, detail: String) {
        self.runtimeReady = runtimeReady
        self.networkReady = networkReady
        self.detail = detail
    }

    /// Both conditions hold.
    public var isReady: Bool { runtimeReady && networkReady }

    /// `"RuntimeReady=true NetworkReady=false (…)"`.
    public var description: String {
        "RuntimeReady=\(runtimeReady) NetworkReady=\(networkReady)" + (detail.isEmpty ? "" : " (\(detail))")
    }
}

/// Asks a runtime whether it is ready. `ManagedContainerd` polls one until both conditions hold.
public protocol RuntimeReadinessProbe: Sendable {
    /// The runtime's current readiness; throws when the runtime cannot be asked (not listening yet, say).
    func readiness() async throws -> RuntimeReadiness
    /// Releases the probe's resources (its connection). Called once, when the managed runtime stops.
    func close() async
}

/// The readiness probe over CRI: `RuntimeService/Status` through `GRPCContainerRuntime`.
public final class CRIReadinessProbe: RuntimeReadinessProbe {
    private let runtime: GRPCContainerRuntime

    /// A probe of the CRI runtime at `endpoint`. Status calls have a short deadline (`callTimeout`) so that a
    /// runtime that is still starting costs one poll interval, not a whole read deadline.
    public init(endpoint: String, logger: Logger, callTimeout: Duration = .seconds(2)) throws {
        self.runtime = try GRPCContainerRuntime(
            endpoint: endpoint, logger: logger, timeouts: CRITimeouts(read: callTimeout))
    }

    /// See `RuntimeReadinessProbe.readiness()`.
    public func readiness() async throws -> RuntimeReadiness {
        let status = try await runtime.status(verbose: false)
        let detail = status.conditions.filter { !$0.status }
            .map { "\($0.type): \($0.reason) \($0.message)".trimmingWhitespace() }
            .joined(separator: "; ")
        return RuntimeReadiness(runtimeReady: status.runtimeReady, networkReady: status.networkReady, detail: detail)
    }

    /// See `RuntimeReadinessProbe.close()`.
    public func close() async {
        await runtime.close()
    }
}
