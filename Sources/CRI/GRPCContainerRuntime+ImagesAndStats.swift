import GRPCCore

extension GRPCContainerRuntime {
    /// See `ContainerRuntime.containerStats(id:)`.
    public func containerStats(id: String) async throws -> Runtime_V1_ContainerStats {
        var request = Runtime_V1_ContainerStatsRequest()
        request.containerID = id
        return try await call("RuntimeService/ContainerStats", .read) {
            try await runtimeService.containerStats(request, options: $0).stats
        }
    }

    /// See `ContainerRuntime.listContainerStats(filter:)`.
    public func listContainerStats(
        filter: Runtime_V1_ContainerStatsFilter?
    ) async throws -> [Runtime_V1_ContainerStats] {
        var request = Runtime_V1_ListContainerStatsRequest()
        if let filter { request.filter = filter }
        return try await call("RuntimeService/ListContainerStats", .read) {
            try await runtimeService.listContainerStats(request, options: $0).stats
        }
    }

    /// See `ContainerRuntime.podSandboxStats(id:)`.
    public func podSandboxStats(id: String) async throws -> Runtime_V1_PodSandboxStats {
        var request = Runtime_V1_PodSandboxStatsRequest()
        request.podSandboxID = id
        return try await call("RuntimeService/PodSandboxStats", .read) {
            try await runtimeService.podSandboxStats(request, options: $0).stats
        }
    }

    /// See `ContainerRuntime.listPodSandboxStats(filter:)`.
    public func listPodSandboxStats(
        filter: Runtime_V1_PodSandboxStatsFilter?
    ) async throws -> [Runtime_V1_PodSandboxStats] {
        var request = Runtime_V1_ListPodSandboxStatsRequest()
        if let filter { request.filter = filter }
        return try await call("RuntimeService/ListPodSandboxStats", .read) {
            try await runtimeService.listPodSandboxStats(request, options: $0).stats
        }
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
        return try await call("ImageService/PullImage", .write(timeouts.pull)) {
            try await imageService.pullImage(request, options: $0).imageRef
        }
    }

    /// See `ContainerRuntime.imageStatus(_:)`.
    public func imageStatus(_ image: String) async throws -> Runtime_V1_Image? {
        var request = Runtime_V1_ImageStatusRequest()
        request.image.image = image
        let response = try await call("ImageService/ImageStatus", .read) {
            try await imageService.imageStatus(request, options: $0)
        }
        // The runtime answers an unknown image with no error and no image.
        return response.hasImage && !response.image.id.isEmpty ? response.image : nil
    }

    /// See `ContainerRuntime.listImages(filter:)`.
    public func listImages(filter: Runtime_V1_ImageFilter?) async throws -> [Runtime_V1_Image] {
        var request = Runtime_V1_ListImagesRequest()
        if let filter { request.filter = filter }
        return try await call("ImageService/ListImages", .read) {
            try await imageService.listImages(request, options: $0).images
        }
    }

    /// See `ContainerRuntime.removeImage(_:)`.
    public func removeImage(_ image: String) async throws {
        var request = Runtime_V1_RemoveImageRequest()
        request.image.image = image
        _ = try await call("ImageService/RemoveImage", .write(timeouts.write)) {
            try await imageService.removeImage(request, options: $0)
        }
    }

    /// See `ContainerRuntime.imageFsInfo()`.
    public func imageFsInfo() async throws -> Runtime_V1_ImageFsInfoResponse {
        try await call("ImageService/ImageFsInfo", .read) {
            try await imageService.imageFsInfo(Runtime_V1_ImageFsInfoRequest(), options: $0)
        }
    }
}
