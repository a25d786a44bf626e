extension GRPCContainerRuntime {
    /// See `ContainerRuntime.createContainer(sandboxID:config:sandboxConfig:)`.
    public func createContainer(
        sandboxID: String, config: Runtime_V1_ContainerConfig, sandboxConfig: Runtime_V1_PodSandboxConfig
    ) async throws -> String {
        var request = Runtime_V1_CreateContainerRequest()
        request.podSandboxID = sandboxID
        request.config = config
        request.sandboxConfig = sandboxConfig
        let frozen = request
        let method = "RuntimeService/CreateContainer"
        let recovery = AmbiguousCreate(method: method, settleTimeout: timeouts.write)
        return try await recovery.run(
            logger: logger,
            create: {
                try await self.call(
                    method, .write(self.timeouts.write), frozen,
                    as: Runtime_V1_CreateContainerResponse.self).containerID
            },
            lookup: {
                var filter = Runtime_V1_ContainerFilter()
                filter.podSandboxID = sandboxID
                return try await self.listContainers(filter: filter).first {
                    $0.metadata.name == config.metadata.name && $0.metadata.attempt == config.metadata.attempt
                }?.id
            })
    }

    /// See `ContainerRuntime.startContainer(id:)`.
    public func startContainer(id: String) async throws {
        var request = Runtime_V1_StartContainerRequest()
        request.containerID = id
        _ = try await call(
            "RuntimeService/StartContainer", .write(timeouts.write), request,
            as: Runtime_V1_StartContainerResponse.self)
    }

    /// See `ContainerRuntime.stopContainer(id:timeout:)`.
    public func stopContainer(id: String, timeout: Int64) async throws {
        var request = Runtime_V1_StopContainerRequest()
        request.containerID = id
        request.timeout = max(0, timeout)
        // The runtime waits up to `timeout` seconds before SIGKILL; the deadline must outlast that.
        let deadline = Duration.seconds(max(0, timeout)) + timeouts.margin
        _ = try await call(
            "RuntimeService/StopContainer", .write(deadline), request, as: Runtime_V1_StopContainerResponse.self)
    }

    /// See `ContainerRuntime.removeContainer(id:)`.
    public func removeContainer(id: String) async throws {
        var request = Runtime_V1_RemoveContainerRequest()
        request.containerID = id
        _ = try await call(
            "RuntimeService/RemoveContainer", .write(timeouts.write), request,
            as: Runtime_V1_RemoveContainerResponse.self)
    }

    /// See `ContainerRuntime.listContainers(filter:)`.
    public func listContainers(filter: Runtime_V1_ContainerFilter?) async throws -> [Runtime_V1_Container] {
        var request = Runtime_V1_ListContainersRequest()
        if let filter { request.filter = filter }
        return try await call(
            "RuntimeService/ListContainers", .read, request, as: Runtime_V1_ListContainersResponse.self).containers
    }

    /// See `ContainerRuntime.containerStatus(id:verbose:)`.
    public func containerStatus(id: String, verbose: Bool) async throws -> Runtime_V1_ContainerStatusResponse {
        var request = Runtime_V1_ContainerStatusRequest()
        request.containerID = id
        request.verbose = verbose
        return try await call(
            "RuntimeService/ContainerStatus", .read, request, as: Runtime_V1_ContainerStatusResponse.self)
    }

    /// See `ContainerRuntime.updateContainerResources(id:linux:)`.
    public func updateContainerResources(id: String, linux: Runtime_V1_LinuxContainerResources) async throws {
        var request = Runtime_V1_UpdateContainerResourcesRequest()
        request.containerID = id
        request.linux = linux
        _ = try await call(
            "RuntimeService/UpdateContainerResources", .write(timeouts.write), request,
            as: Runtime_V1_UpdateContainerResourcesResponse.self)
    }

    /// See `ContainerRuntime.reopenContainerLog(id:)`.
    public func reopenContainerLog(id: String) async throws {
        var request = Runtime_V1_ReopenContainerLogRequest()
        request.containerID = id
        _ = try await call(
            "RuntimeService/ReopenContainerLog", .write(timeouts.write), request,
            as: Runtime_V1_ReopenContainerLogResponse.self)
    }

    /// See `ContainerRuntime.execSync(id:command:timeout:)`.
    public func execSync(id: String, command: [String], timeout: Duration?) async throws -> ExecSyncResult {
        var request = Runtime_V1_ExecSyncRequest()
        request.containerID = id
        request.cmd = command
        let deadline: Duration
        if let timeout {
            // CRI counts whole seconds; round up so a sub-second timeout is not "no timeout" (0).
            let seconds = Int64((Double(timeout.components.seconds)
                + Double(timeout.components.attoseconds) / 1e18).rounded(.up))
            request.timeout = max(1, seconds)
            deadline = .seconds(request.timeout) + timeouts.margin
        } else {
            deadline = timeouts.execSyncWithoutTimeout
        }
        let response = try await call(
            "RuntimeService/ExecSync", .write(deadline), request, as: Runtime_V1_ExecSyncResponse.self)
        return ExecSyncResult(exitCode: response.exitCode, stdout: response.stdout, stderr: response.stderr)
    }

    /// See `ContainerRuntime.exec(_:)`.
    public func exec(_ request: Runtime_V1_ExecRequest) async throws -> String {
        try await call("RuntimeService/Exec", .write(timeouts.write), request, as: Runtime_V1_ExecResponse.self).url
    }

    /// See `ContainerRuntime.attach(_:)`.
    public func attach(_ request: Runtime_V1_AttachRequest) async throws -> String {
        try await call("RuntimeService/Attach", .write(timeouts.write), request, as: Runtime_V1_AttachResponse.self).url
    }

    /// See `ContainerRuntime.portForward(_:)`.
    public func portForward(_ request: Runtime_V1_PortForwardRequest) async throws -> String {
        try await call(
            "RuntimeService/PortForward", .write(timeouts.write), request, as: Runtime_V1_PortForwardResponse.self).url
    }
}
