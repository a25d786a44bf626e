extension ManagedContainerd {
    /// What a managed containerd is set up with. The defaults suit a Swiftlet node on Debian.
    public struct Configuration: Sendable, Hashable {
        /// Swiftlet's root dir; everything of containerd goes under `<rootDirectory>/containerd/`. Keep it short:
        /// the sockets under it must fit in 107 bytes.
        public var rootDirectory: String
        /// The pause image every sandbox starts from (`--pod-infra-container-image`).
        public var podInfraContainerImage: String
        /// The pods' network for the default bridge network (`--pod-cidr`). The default, 10.244.0.0/16, stays clear
        /// of Docker's (172.17.0.0/16 and its 172.16/12 pools), Podman's and containerd's example (10.88.0.0/16).
        /// It is also flannel's default cluster network; a Swiftlet node does not run flannel.
        public var podCIDR: String
        /// Registries to pull from over plain HTTP, as `HOST:PORT` (`--insecure-registry`).
        public var insecureRegistries: [String]
        /// A `certs.d`-style dir (`<host>/hosts.toml`) to copy into the generated registry config
        /// (`--registry-config-dir`).
        public var registryConfigDirectory: String?
        /// The containerd binary: a path, or a name looked up in `$PATH`.
        public var containerdBinary: String
        /// How long `start()` and `restart()` wait for `RuntimeReady` and `NetworkReady`.
        public var readinessTimeout: Duration
        /// How long `stop()` waits after SIGTERM before it sends SIGKILL.
        public var stopTimeout: Duration
        /// The CNI network name of the default conflist (it tags the iptables rules the plugins add).
        public var cniNetworkName: String
        /// The Linux bridge of the default conflist (at most 15 bytes).
        public var cniBridgeName: String
        /// Where the CNI plugins are; nil picks `/usr/lib/cni` (Debian) or `/opt/cni/bin`, whichever has them.
        public var cniBinDirectory: String?

        /// Creates a configuration.
        public init(
            rootDirectory: String = "/var/lib/swiftlet",
            podInfraContainerImage: String = "registry.k8s.io/pause:3.9",
            podCIDR: String = "10.244.0.0/16",
            insecureRegistries: [String] = [],
            registryConfigDirectory: String? = nil,
            containerdBinary: String = "containerd",
            readinessTimeout: Duration = .seconds(60),
            stopTimeout: Duration = .seconds(10),
            cniNetworkName: String = "swiftlet",
            cniBridgeName: String = "swiftlet0",
            cniBinDirectory: String? = nil
        ) {
            self.rootDirectory = rootDirectory
            self.podInfraContainerImage = podInfraContainerImage
            self.podCIDR = podCIDR
            self.insecureRegistries = insecureRegistries
            self.registryConfigDirectory = registryConfigDirectory
            self.containerdBinary = containerdBinary
            self.readinessTimeout = readinessTimeout
            self.stopTimeout = stopTimeout
            self.cniNetworkName = cniNetworkName
            self.cniBridgeName = cniBridgeName
            self.cniBinDirectory = cniBinDirectory
        }
    }
}
