import KubeTypes

/// What the API side tells the lifecycle engine. The engine reports back only through the store (status updates, final removal) and the EventRecorder.
public protocol PodLifecycle: Sendable {
  /// A pod was accepted and stored, or reloaded from the store at startup. Start making it run.
  func podAdded(_ pod: Pod) async
  /// Deletion was requested; the stored pod already carries deletionTimestamp and deletionGracePeriodSeconds.
  /// Terminate it within the grace period, then remove it from the store (`store.delete`, guarded by uid).
  func podDeletionRequested(_ pod: Pod) async
}
