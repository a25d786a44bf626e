/// The runtime call rotation needs: CRI `ReopenContainerLog`, which makes the runtime close the container's log
/// file and create a new one at the same path. The lead implements it over the CRI client; tests use a fake.
public protocol LogReopener: Sendable {
    /// Asks the runtime to reopen the log of `containerID` (the file at its log path has just been renamed).
    func reopenContainerLog(containerID: String) async throws
}
