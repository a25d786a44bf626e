import FoundationEssentials

/// Writes everything a managed containerd reads, under `<rootDirectory>/containerd/`: the directories, the
/// config, the registry hosts dir and, when the conf dir holds no other network, the default CNI conflist.
/// Everything is validated before anything is written.
public struct ContainerdSetup: Sendable {
    /// The instance's paths.
    public let paths: ContainerdPaths
    /// The config to write.
    public let config: ContainerdConfig
    /// The default network.
    public let network: CNINetworkConfig
    /// The registry hosts.
    public let registryHosts: RegistryHosts

    /// Validates `configuration` and works out the files for this machine.
    /// - Parameters:
    ///   - cniBinDirectory: where the CNI plugins are (from `Preflight.check`).
    ///   - capabilities: this process's capabilities; decides `restrict_oom_score_adj`.
    /// - Throws: `ManagedRuntimeError` `.invalidConfiguration` naming the bad value.
    public init(
        configuration: ManagedContainerd.Configuration, cniBinDirectory: String, capabilities: ProcessCapabilities
    ) throws {
        guard configuration.rootDirectory.hasPrefix("/") else {
            throw ManagedRuntimeError(
                .invalidConfiguration, "the root directory \"\(configuration.rootDirectory)\" must be an absolute path")
        }
        guard !configuration.podInfraContainerImage.isEmpty else {
            throw ManagedRuntimeError(.invalidConfiguration, "the pod infra container image must not be empty")
        }
        let paths = ContainerdPaths(rootDirectory: configuration.rootDirectory)
        try paths.validateSocketPaths()
        self.paths = paths
        self.config = ContainerdConfig(
            paths: paths,
            sandboxImage: configuration.podInfraContainerImage,
            restrictOOMScoreAdj: !capabilities.has(ProcessCapabilities.sysResource),
            cniBinDirectory: cniBinDirectory)
        self.network = try CNINetworkConfig(
            networkName: configuration.cniNetworkName,
            bridgeName: configuration.cniBridgeName,
            podCIDR: IPv4CIDR(parsing: configuration.podCIDR),
            ipamDataDirectory: paths.cniIPAMDirectory)
        self.registryHosts = try RegistryHosts(
            insecureRegistries: configuration.insecureRegistries,
            sourceDirectory: configuration.registryConfigDirectory)
    }

    /// Creates the directories and writes the files.
    /// - Returns: true when the default conflist was written, false when the conf dir has a network of its own.
    /// - Throws: `ManagedRuntimeError` `.setupFailed` naming the path.
    @discardableResult
    public func write() throws -> Bool {
        let fm = FileManager.default
        for directory in [
            paths.base, paths.root, paths.state, paths.runcRoot, paths.optDirectory, paths.cniConfDirectory,
            paths.cniIPAMDirectory,
        ] {
            do {
                try fm.createDirectory(
                    atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o711])
            } catch {
                throw ManagedRuntimeError(.setupFailed, "cannot create \(directory): \(error)")
            }
        }
        try writeFile(paths.configFile, config.render())
        try registryHosts.write(to: paths.registryHostsDirectory)

        // Our conflist only when nobody else put a network there: a user's own network takes precedence, and ours
        // would shadow it (containerd loads the first file by name).
        let ours = paths.cniConfDirectory + "/" + CNINetworkConfig.fileName
        let entries: [String]
        do {
            entries = try fm.contentsOfDirectory(atPath: paths.cniConfDirectory)
        } catch {
            throw ManagedRuntimeError(.setupFailed, "cannot list \(paths.cniConfDirectory): \(error)")
        }
        let foreign = entries.filter { name in
            name != CNINetworkConfig.fileName
                && [".conf", ".conflist", ".json"].contains { name.hasSuffix($0) }
        }
        if foreign.isEmpty {
            try writeFile(ours, network.render())
            return true
        }
        try? fm.removeItem(atPath: ours)
        return false
    }

    private func writeFile(_ path: String, _ text: String) throws {
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw ManagedRuntimeError(.setupFailed, "cannot write \(path): \(error)")
        }
    }
}
