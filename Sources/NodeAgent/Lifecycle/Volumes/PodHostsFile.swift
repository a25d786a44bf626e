import FoundationEssentials
import Glibc
import KubeTypes
import SystemSupport

/// The `/etc/hosts` a pod's containers see, written by the node as kubelet writes it.
///
/// Without it containerd gives every container a copy of the node's `/etc/hosts`, so a pod could not resolve its
/// own hostname to its own IP and `hostAliases` would be ignored. For a pod on the pod network the file is
/// generated (localhost entries, the pod's IP with its hostname and FQDN, then the aliases); a host-network pod
/// gets the node's file with the aliases appended. The file lives in the pod directory and is bind-mounted at
/// `/etc/hosts` in every container that does not mount that path itself.
enum PodHostsFile {
    /// `<podDir>/etc-hosts`, kubelet's location.
    static func path(_ paths: PodPaths) -> String { paths.podDirectory + "/etc-hosts" }

    /// The file's content for `pod` with `podIPs` (the first is the pod's primary IP).
    static func content(_ pod: Pod, podIPs: [String], hostname: String, nodeHostsFile: String?) -> String {
        var text: String
        if pod.spec.hostNetwork == true {
            text = "# Kubernetes-managed hosts file (host network).\n" + (nodeHostsFile ?? "")
            if !text.hasSuffix("\n") { text += "\n" }
        } else {
            text = """
            # Kubernetes-managed hosts file.
            127.0.0.1\tlocalhost
            ::1\tlocalhost ip6-localhost ip6-loopback
            fe00::0\tip6-localnet
            fe00::0\tip6-mcastprefix
            fe00::1\tip6-allnodes
            fe00::2\tip6-allrouters

            """
            let names: String
            if let subdomain = pod.spec.subdomain, !subdomain.isEmpty {
                let namespace = pod.metadata.namespace ?? "default"
                names = "\(hostname).\(subdomain).\(namespace).svc.cluster.local\t\(hostname)"
            } else {
                names = hostname
            }
            for ip in podIPs { text += "\(ip)\t\(names)\n" }
        }
        let aliases = (pod.spec.hostAliases ?? []).filter { ($0.ip ?? "").isEmpty == false }
        if !aliases.isEmpty {
            text += "\n# Entries added by HostAliases.\n"
            for alias in aliases {
                text += "\(alias.ip ?? "")\t\((alias.hostnames ?? []).joined(separator: "\t"))\n"
            }
        }
        return text
    }

    /// Writes the file when its content changed (atomically, so a container never reads half of it); returns its
    /// path. Throws `VolumeError` when it cannot be written.
    static func write(_ pod: Pod, paths: PodPaths, podIPs: [String], hostname: String, nodeHostsPath: String = "/etc/hosts")
        throws -> String
    {
        let target = path(paths)
        let nodeHosts = pod.spec.hostNetwork == true ? (try? String(contentsOfFile: nodeHostsPath, encoding: .utf8)) : nil
        let text = content(pod, podIPs: podIPs, hostname: hostname, nodeHostsFile: nodeHosts)
        if (try? String(contentsOfFile: target, encoding: .utf8)) == text { return target }
        do {
            try VolumeManager.makeDirectory(paths.podDirectory, mode: 0o750)
            try Data(text.utf8).write(to: URL(fileURLWithPath: target), options: .atomic)
            chmod(target, 0o644)
        } catch let error as VolumeError {
            throw error
        } catch {
            throw VolumeError(message: "writing \(target): \(FileErrorReason.describe(error))")
        }
        return target
    }
}
