import CRI
import ContainerLogs

/// Rotation's runtime call over CRI: `ReopenContainerLog` makes containerd close the renamed file and create a new
/// one at the container's log path.
public struct RuntimeLogReopener: LogReopener {
    private let runtime: any ContainerRuntime

    /// A reopener over `runtime`.
    public init(runtime: any ContainerRuntime) {
        self.runtime = runtime
    }

    /// See `LogReopener.reopenContainerLog(containerID:)`.
    public func reopenContainerLog(containerID: String) async throws {
        try await runtime.reopenContainerLog(id: containerID)
    }
}
