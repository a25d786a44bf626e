import CRI
import Foundation
import Logging
import ManagedRuntime

/// The containerd the integration tests share: one per test process, managed by `ManagedContainerd` under
/// `<runBase>/<pid>/shared/`, pulling from the test bed's registry.
///
/// Use `try await TestRuntime.shared()` in each test; the first call brings up the test bed if its registry does
/// not answer (deploy/testbed/up.sh), cleans the leftovers of dead test processes (down.sh --tests-only), and
/// starts containerd. The instance stays up for the rest of the process; deploy/testbed/down.sh stops it after
/// the run (deploy/test.sh calls it). Tests must not restart or stop the shared instance: other tests use it at
/// the same time. A test that needs to restart containerd makes its own with `makePrivateContainerd(name:)`.
public final class TestRuntime: Sendable {
    /// The CRI endpoint of the shared containerd.
    public let endpoint: String
    /// The local registry, `127.0.0.1:5000`.
    public let registry: String
    /// `127.0.0.1:5000/busybox:latest` (busybox-static; `sh` is its command).
    public let busyboxImage: String
    /// `127.0.0.1:5000/pause:3.9`, the sandbox image.
    public let pauseImage: String
    /// The shared instance's root (`<runBase>/<pid>/shared`).
    public let rootDirectory: String
    /// The shared managed containerd (do not stop or restart it in a test).
    public let containerd: ManagedContainerd
    /// The repository root.
    public let repositoryRoot: String

    /// The label key every test object carries; its value is the test's scope id.
    public static let testLabelKey = "swiftlet.test/scope"

    private init(containerd: ManagedContainerd, rootDirectory: String) {
        self.containerd = containerd
        self.endpoint = containerd.endpoint
        self.registry = TestBed.registry
        self.busyboxImage = TestBed.registry + "/busybox:latest"
        self.pauseImage = TestBed.registry + "/pause:3.9"
        self.rootDirectory = rootDirectory
        self.repositoryRoot = TestBed.repositoryRoot()
    }

    /// The shared runtime of this test process, started on first use.
    /// - Throws: the test bed's or containerd's failure (the same error on every call: it is not retried).
    public static func shared() async throws -> TestRuntime {
        try await Store.shared.runtime()
    }

    /// A logger for test fixtures: warnings and errors only.
    public static func makeLogger(_ label: String) -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = .warning
        return logger
    }

    /// A new CRI client for the shared containerd. Close it when done.
    public func makeClient(timeouts: CRITimeouts = CRITimeouts()) throws -> GRPCContainerRuntime {
        try GRPCContainerRuntime(endpoint: endpoint, logger: Self.makeLogger("swiftlet.test.cri"), timeouts: timeouts)
    }

    /// A containerd of the test's own under `<runBase>/<pid>/<name>` (with its own bridge and /24), configured
    /// like the shared one but not started. The caller starts it and must `stop()` it; down.sh removes what a
    /// failed test leaves. `name` must be unique in the process (letters and digits).
    public func makePrivateContainerd(name: String) async throws -> ManagedContainerd {
        let configuration = try await TestInstances.shared.configuration(name: name)
        return ManagedContainerd(configuration: configuration, logger: Self.makeLogger("swiftlet.test.containerd.\(name)"))
    }

    /// A name unique to this process and call, e.g. `pod-3f9a1c2e`: lower case, usable as a CRI metadata name.
    public func uniqueName(_ prefix: String = "t") -> String {
        "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// A fresh scope: a unique id and the label that marks the test's sandboxes and containers.
    public func makeScope(_ name: String = "t") -> TestScope {
        let id = uniqueName(name)
        return TestScope(id: id, logDirectory: rootDirectory + "/logs/" + id)
    }

    /// Stops and removes every sandbox labelled with `scope` (which also removes their containers), then any
    /// container still labelled with it, then the scope's log directory. Every step is tried even when one fails;
    /// the first failure is thrown at the end. Returns how many sandboxes it removed.
    @discardableResult
    public func cleanUp(_ scope: TestScope) async throws -> Int {
        try await Self.cleanUp(scope, endpoint: endpoint)
    }

    /// `cleanUp(_:)` against any CRI endpoint (a private containerd's, say).
    @discardableResult
    public static func cleanUp(_ scope: TestScope, endpoint: String) async throws -> Int {
        let client = try GRPCContainerRuntime(endpoint: endpoint, logger: makeLogger("swiftlet.test.cleanup"))
        var firstError: (any Error)?
        var removed = 0
        func attempt(_ step: () async throws -> Void) async {
            do { try await step() } catch { firstError = firstError ?? error }
        }
        var sandboxFilter = Runtime_V1_PodSandboxFilter()
        sandboxFilter.labelSelector = scope.labels
        var sandboxes: [Runtime_V1_PodSandbox] = []
        await attempt { sandboxes = try await client.listPodSandboxes(filter: sandboxFilter) }
        for sandbox in sandboxes {
            await attempt { try await client.stopPodSandbox(id: sandbox.id) }
            await attempt {
                try await client.removePodSandbox(id: sandbox.id)
                removed += 1
            }
        }
        var containerFilter = Runtime_V1_ContainerFilter()
        containerFilter.labelSelector = scope.labels
        var containers: [Runtime_V1_Container] = []
        await attempt { containers = try await client.listContainers(filter: containerFilter) }
        for container in containers {
            await attempt { try await client.removeContainer(id: container.id) }
        }
        await client.close()
        try? FileManager.default.removeItem(atPath: scope.logDirectory)
        if let firstError { throw firstError }
        return removed
    }

    /// Runs `body` with a fresh scope and cleans up everything labelled with it afterwards, whether `body`
    /// returned or threw. A cleanup failure is thrown only when `body` succeeded (its own error wins).
    public func withScope<T: Sendable>(
        _ name: String = "t", _ body: (TestScope) async throws -> T
    ) async throws -> T {
        let scope = makeScope(name)
        let result: T
        do {
            result = try await body(scope)
        } catch {
            _ = try? await cleanUp(scope)
            throw error
        }
        try await cleanUp(scope)
        return result
    }

    /// Starts the shared runtime once per process.
    private actor Store {
        static let shared = Store()
        private var starting: Task<TestRuntime, any Error>?

        func runtime() async throws -> TestRuntime {
            if let starting { return try await starting.value }
            let task = Task { try await TestRuntime.start() }
            starting = task
            return try await task.value
        }
    }

    private static func start() async throws -> TestRuntime {
        try await TestBed.ensureUp()
        // Leftovers of test processes that died without down.sh (live ones, like this one, are kept).
        try await TestBed.runScript("down.sh", arguments: ["--tests-only"], timeout: .seconds(120))
        let configuration = try await TestInstances.shared.configuration(name: "shared")
        let containerd = ManagedContainerd(configuration: configuration, logger: makeLogger("swiftlet.test.containerd"))
        try await containerd.start()
        return TestRuntime(containerd: containerd, rootDirectory: configuration.rootDirectory)
    }
}

/// One test's identity on the runtime: a unique id, the label that carries it, and a log directory.
public struct TestScope: Sendable, Hashable {
    /// The unique id, e.g. `pod-3f9a1c2e`.
    public let id: String
    /// A directory for the sandboxes' `log_directory` (removed by the cleanup).
    public let logDirectory: String

    /// Creates a scope.
    public init(id: String, logDirectory: String) {
        self.id = id
        self.logDirectory = logDirectory
    }

    /// `[TestRuntime.testLabelKey: id]`: put these labels on every sandbox and container of the test.
    public var labels: [String: String] { [TestRuntime.testLabelKey: id] }

    /// A name derived from the scope, e.g. `name("web")` → `pod-3f9a1c2e-web`.
    public func name(_ suffix: String) -> String { "\(id)-\(suffix)" }
}
