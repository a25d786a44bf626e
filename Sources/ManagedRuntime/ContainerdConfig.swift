/// containerd 1.6's `config.toml` (config version 2) for a managed instance.
///
/// Only what Swiftlet needs differs from containerd's defaults: private paths (so instances never collide), the
/// CRI plugin's sandbox image, cgroupfs, CNI dirs, the registry hosts dir, a loopback-only stream server on a
/// random port, network namespaces under the state dir, and `restrict_oom_score_adj` where runc could not set a
/// negative OOM score.
public struct ContainerdConfig: Sendable, Hashable {
    /// The instance's paths.
    public var paths: ContainerdPaths
    /// The pause image every sandbox starts from (`--pod-infra-container-image`).
    public var sandboxImage: String
    /// Set when the process lacks `CAP_SYS_RESOURCE` (see `ProcessCapabilities`).
    public var restrictOOMScoreAdj: Bool
    /// Where the CNI plugin binaries are.
    public var cniBinDirectory: String

    /// Creates a config.
    public init(paths: ContainerdPaths, sandboxImage: String, restrictOOMScoreAdj: Bool, cniBinDirectory: String) {
        self.paths = paths
        self.sandboxImage = sandboxImage
        self.restrictOOMScoreAdj = restrictOOMScoreAdj
        self.cniBinDirectory = cniBinDirectory
    }

    /// The TOML text.
    public func render() -> String {
        let q = TOMLText.quoted
        let cri = "plugins.\"io.containerd.grpc.v1.cri\""
        return """
            # Written by Swiftlet on every start of its managed containerd; edits here are lost. Change Swiftlet's
            # flags instead (--pod-infra-container-image, --pod-cidr, --insecure-registry, --registry-config-dir).
            version = 2
            root = \(q(paths.root))
            state = \(q(paths.state))

            [grpc]
              address = \(q(paths.socket))

            [ttrpc]
              address = \(q(paths.ttrpcSocket))

            [plugins]
              [plugins."io.containerd.internal.v1.opt"]
                path = \(q(paths.optDirectory))

              [\(cri)]
                sandbox_image = \(q(sandboxImage))
                restrict_oom_score_adj = \(restrictOOMScoreAdj)
                stream_server_address = "127.0.0.1"
                stream_server_port = "0"
                netns_mounts_under_state_dir = true

                [\(cri).containerd]
                  default_runtime_name = "runc"

                  [\(cri).containerd.runtimes.runc]
                    runtime_type = "io.containerd.runc.v2"

                    [\(cri).containerd.runtimes.runc.options]
                      SystemdCgroup = false
                      Root = \(q(paths.runcRoot))

                [\(cri).cni]
                  bin_dir = \(q(cniBinDirectory))
                  conf_dir = \(q(paths.cniConfDirectory))
                  max_conf_num = 1

                [\(cri).registry]
                  config_path = \(q(paths.registryHostsDirectory))

            """
    }
}
