extension GRPCContainerRuntime {
    /// See `ContainerRuntime.containerStats(id:)`.
    public func containerStats(id: String) async throws -> Runtime_V1_ContainerStats {
        var request = Runtime_V1_ContainerStatsRequest()
        request.containerID = id
        return try await call(
            "RuntimeService/ContainerStats", .read, request, as: Runtime_V1_ContainerStatsResponse.self).stats
    }

    /// See `ContainerRuntime.listContainerStats(filter:)`.
    public func listContainerStats(
        filter: Runtime_V1_ContainerStatsFilter?
    ) async throws -> [Runtime_V1_ContainerStats] {
        var request = Runtime_V1_ListContainerStatsRequest()
        if let filter { request.filter = filter }
        return try await call(
            "RuntimeService/ListContainerStats", .read, request, as: Runtime_V1_ListContainerStatsResponse.self).stats
    }

    /// See `ContainerRuntime.podSandboxStats(id:)`.
    public func podSandboxStats(id: String) async throws -> Runtime_V1_PodSandboxStats {
        var request = Runtime_V1_PodSandboxStatsRequest()
        request.podSandboxID = id
        return try await call(
            "RuntimeService/PodSandboxStats", .read, request, as: Runtime_V1_PodSandboxStatsResponse.self).stats
    }

    /// See `ContainerRuntime.listPodSandboxStats(filter:)`.
    public func listPodSandboxStats(
        filter: Runtime_V1_PodSandboxStatsFilter?
    ) async throws -> [Runtime_V1_PodSandboxStats] {
        var request = Runtime_V1_ListPodSandboxStatsRequest()
        if let filter { request.filter = filter }
        return try await call(
            "RuntimeService/ListPodSandboxStats", .read, request, as: Runtime_V1_ListPodSandboxStatsResponse.self).stats
    }

    /// See `ContainerRuntime.pullImage(_:auth:sandboxConfig:)`.
    public func pullImage(
        _ image: String, auth: Runtime_V1_AuthConfig?, sandboxConfig: Runtime_V1_PodSandboxConfig?
    ) async throws -> String {
        var request = Runtime_V1_PullImageRequest()
        request.image.image = image
        if let auth { request.auth = auth }
        if let sandboxConfig { request.sandboxConfig = sandboxConfig }
        // A pull is idempotent, but it is long: no automatic retry, the caller's backoff decides.
        return try await call(
            "ImageService/PullImage", .write(timeouts.pull), request, as: Runtime_V1_PullImageResponse.self).imageRef
    }

    /// See `ContainerRuntime.imageStatus(_:)`.
    public func imageStatus(_ image: String) async throws -> Runtime_V1_Image? {
        var request = Runtime_V1_ImageStatusRequest()
        request.image.image = image
        let response = try await call(
            "ImageService/ImageStatus", .read, request, as: Runtime_V1_ImageStatusResponse.self)
        // The runtime answers an unknown image with no error and no image.
        return response.hasImage && !response.image.id.isEmpty ? response.image : nil
    }

    /// See `ContainerRuntime.listImages(filter:)`.
    public func listImages(filter: Runtime_V1_ImageFilter?) async throws -> [Runtime_V1_Image] {
        var request = Runtime_V1_ListImagesRequest()
        if let filter { request.filter = filter }
        return try await call("ImageService/ListImages", .read, request, as: Runtime_V1_ListImagesResponse.self).images
    }

    /// See `ContainerRuntime.removeImage(_:)`.
    public func removeImage(_ image: String) async throws {
        var request = Runtime_V1_RemoveImageRequest()
        request.image.image = image
        _ = try await call(
            "ImageService/RemoveImage", .write(timeouts.write), request, as: Runtime_V1_RemoveImageResponse.self)
    }

    /// See `ContainerRuntime.imageFsInfo()`.
    public func imageFsInfo() async throws -> Runtime_V1_ImageFsInfoResponse {
        try await call(
            "ImageService/ImageFsInfo", .read, Runtime_V1_ImageFsInfoRequest(), as: Runtime_V1_ImageFsInfoResponse.self)
    }
}
