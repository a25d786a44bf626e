extension GRPCContainerRuntime {
    /// See `ContainerRuntime.version()`.
    public func version() async throws -> RuntimeVersion {
        let response = try await call(
            "RuntimeService/Version", .read, Runtime_V1_VersionRequest(), as: Runtime_V1_VersionResponse.self)
        return RuntimeVersion(
            version: response.version, runtimeName: response.runtimeName,
            runtimeVersion: response.runtimeVersion, runtimeAPIVersion: response.runtimeApiVersion)
    }

    /// See `ContainerRuntime.status(verbose:)`.
    public func status(verbose: Bool) async throws -> RuntimeStatusReport {
        var request = Runtime_V1_StatusRequest()
        request.verbose = verbose
        let response = try await call("RuntimeService/Status", .read, request, as: Runtime_V1_StatusResponse.self)
        let conditions = response.status.conditions.map {
            RuntimeConditionReport(type: $0.type, status: $0.status, reason: $0.reason, message: $0.message)
        }
        return RuntimeStatusReport(conditions: conditions, info: response.info)
    }

    /// See `ContainerRuntime.runPodSandbox(_:runtimeHandler:)`.
    public func runPodSandbox(_ config: Runtime_V1_PodSandboxConfig, runtimeHandler: String) async throws -> String {
        var request = Runtime_V1_RunPodSandboxRequest()
        request.config = config
        request.runtimeHandler = runtimeHandler
        let frozen = request
        let method = "RuntimeService/RunPodSandbox"
        let recovery = AmbiguousCreate(method: method, settleTimeout: timeouts.runPodSandbox)
        return try await recovery.run(
            logger: logger,
            create: {
                try await self.call(
                    method, .write(self.timeouts.runPodSandbox), frozen,
                    as: Runtime_V1_RunPodSandboxResponse.self).podSandboxID
            },
            lookup: {
                try await self.listPodSandboxes(filter: nil).first {
                    $0.metadata.name == config.metadata.name
                        && $0.metadata.namespace == config.metadata.namespace
                        && $0.metadata.uid == config.metadata.uid
                        && $0.metadata.attempt == config.metadata.attempt
                }?.id
            })
    }

    /// See `ContainerRuntime.stopPodSandbox(id:)`.
    public func stopPodSandbox(id: String) async throws {
        var request = Runtime_V1_StopPodSandboxRequest()
        request.podSandboxID = id
        _ = try await call(
            "RuntimeService/StopPodSandbox", .write(timeouts.write), request,
            as: Runtime_V1_StopPodSandboxResponse.self)
    }

    /// See `ContainerRuntime.removePodSandbox(id:)`.
    public func removePodSandbox(id: String) async throws {
        var request = Runtime_V1_RemovePodSandboxRequest()
        request.podSandboxID = id
        _ = try await call(
            "RuntimeService/RemovePodSandbox", .write(timeouts.write), request,
            as: Runtime_V1_RemovePodSandboxResponse.self)
    }

    /// See `ContainerRuntime.podSandboxStatus(id:verbose:)`.
    public func podSandboxStatus(id: String, verbose: Bool) async throws -> Runtime_V1_PodSandboxStatusResponse {
        var request = Runtime_V1_PodSandboxStatusRequest()
        request.podSandboxID = id
        request.verbose = verbose
        return try await call(
            "RuntimeService/PodSandboxStatus", .read, request, as: Runtime_V1_PodSandboxStatusResponse.self)
    }

    /// See `ContainerRuntime.listPodSandboxes(filter:)`.
    public func listPodSandboxes(filter: Runtime_V1_PodSandboxFilter?) async throws -> [Runtime_V1_PodSandbox] {
        var request = Runtime_V1_ListPodSandboxRequest()
        if let filter { request.filter = filter }
        return try await call(
            "RuntimeService/ListPodSandbox", .read, request, as: Runtime_V1_ListPodSandboxResponse.self).items
    }
}
