import CRI
import KubeTypes
import Logging

/// What every pod worker shares: the runtime, the store, events, images, the relist's listing and the configuration.
struct WorkerEnvironment: Sendable {
    let runtime: any ContainerRuntime
    let store: ObjectStore<Pod>
    let events: EventRecorder
    let images: ImageManager
    let configuration: PodManagerConfiguration
    let logger: Logger
    /// The relist's latest listing, which a sync reads instead of listing again when it is recent enough.
    let listings: RuntimeListingCache
    /// The HTTP client of probes and hooks.
    let http: HTTPProbeClient
    /// Called once a worker has finished a deletion (or found its pod gone), so the manager drops it.
    let onFinished: @Sendable (String) -> Void
}

/// Why a sync stopped early; logged, and the worker retries soon.
struct LifecycleError: Error, Sendable, CustomStringConvertible {
    var message: String
    var description: String { message }
}
