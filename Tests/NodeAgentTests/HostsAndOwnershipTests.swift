import Foundation
import KubeTypes
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@testable import NodeAgent

/// The pod's `/etc/hosts` content and fsGroup ownership of volumes, on real files.
@Suite struct HostsAndOwnershipTests {
    static func pod(hostNetwork: Bool = false, subdomain: String? = nil) -> Pod {
        Pod(metadata: ObjectMeta(name: "web", namespace: "shop"),
            spec: PodSpec(containers: [Container(name: "a", image: "busybox")], hostNetwork: hostNetwork,
                          subdomain: subdomain,
                          hostAliases: [HostAlias(ip: "10.1.2.3", hostnames: ["db", "db.local"]), HostAlias(ip: "", hostnames: ["x"])]))
    }

    @Test func podNetworkHostsFileNamesThePodAndItsAliases() {
        let text = PodHostsFile.content(Self.pod(subdomain: "api"), podIPs: ["10.244.0.7"], hostname: "web", nodeHostsFile: nil)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first == "# Kubernetes-managed hosts file.")
        #expect(lines.contains("127.0.0.1\tlocalhost"))
        #expect(lines.contains("10.244.0.7\tweb.api.shop.svc.cluster.local\tweb"))
        #expect(lines.contains("# Entries added by HostAliases."))
        #expect(lines.contains("10.1.2.3\tdb\tdb.local"))
        // An alias without an IP cannot be written; validation refuses it, and the file never carries it.
        #expect(!text.contains("\tx\n"))

        let plain = PodHostsFile.content(Self.pod(), podIPs: ["10.244.0.8"], hostname: "web", nodeHostsFile: nil)
        #expect(plain.contains("10.244.0.8\tweb\n"))
    }

    @Test func hostNetworkHostsFileIsTheNodesWithAliasesAppended() {
        let node = "127.0.0.1 localhost\n192.168.1.5 node-a"
        let text = PodHostsFile.content(Self.pod(hostNetwork: true), podIPs: [], hostname: "web", nodeHostsFile: node)
        #expect(text.hasPrefix("# Kubernetes-managed hosts file (host network).\n127.0.0.1 localhost\n192.168.1.5 node-a\n"))
        #expect(text.hasSuffix("# Entries added by HostAliases.\n10.1.2.3\tdb\tdb.local\n"))
    }

    @Test func theHostsFileIsRewrittenOnlyWhenItChanges() throws {
        let root = NSTemporaryDirectory() + "swiftlet-hosts-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: root) }
        let paths = PodPaths(root: root, namespace: "shop", name: "web", uid: "u1")
        let first = try PodHostsFile.write(Self.pod(), paths: paths, podIPs: ["10.244.0.9"], hostname: "web")
        let inode = try #require(try FileManager.default.attributesOfItem(atPath: first)[.systemFileNumber] as? Int)
        _ = try PodHostsFile.write(Self.pod(), paths: paths, podIPs: ["10.244.0.9"], hostname: "web")
        #expect(try FileManager.default.attributesOfItem(atPath: first)[.systemFileNumber] as? Int == inode)
        _ = try PodHostsFile.write(Self.pod(), paths: paths, podIPs: ["10.244.0.10"], hostname: "web")
        #expect(try String(contentsOfFile: first, encoding: .utf8).contains("10.244.0.10\tweb"))
    }

    @Test func fsGroupOwnsEveryFileWithGroupAccessAndSetgidDirectories() throws {
        let root = NSTemporaryDirectory() + "swiftlet-fsgroup-\(UUID().uuidString.prefix(8))"
        let outside = root + "-outside"
        defer {
            try? FileManager.default.removeItem(atPath: root)
            try? FileManager.default.removeItem(atPath: outside)
        }
        try FileManager.default.createDirectory(atPath: root + "/sub", withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: root + "/sub/data", contents: Data("x".utf8)))
        #expect(FileManager.default.createFile(atPath: root + "/run.sh", contents: Data("x".utf8)))
        #expect(FileManager.default.createFile(atPath: outside, contents: Data("x".utf8)))
        chmod(root + "/sub/data", 0o600)
        chmod(root + "/run.sh", 0o700)
        #expect(symlink(outside, root + "/escape") == 0)

        try VolumeOwnership.apply(fsGroup: 4321, policy: nil, root: root)

        func info(_ path: String) -> stat {
            var result = stat()
            lstat(path, &result)
            return result
        }
        for directory in [root, root + "/sub"] {
            #expect(info(directory).st_gid == 4321, "\(directory)")
            #expect(info(directory).st_mode & S_ISGID != 0, "\(directory) lacks setgid")
            #expect(info(directory).st_mode & 0o070 == 0o070, "\(directory)")
        }
        #expect(info(root + "/sub/data").st_gid == 4321)
        #expect(info(root + "/sub/data").st_mode & 0o777 == 0o660)
        #expect(info(root + "/run.sh").st_mode & 0o777 == 0o770)
        // The symlink's target outside the volume is untouched.
        #expect(info(outside).st_gid != 4321)

        // OnRootMismatch: a root that already matches is not walked again.
        chmod(root + "/sub/data", 0o600)
        try VolumeOwnership.apply(fsGroup: 4321, policy: "OnRootMismatch", root: root)
        #expect(info(root + "/sub/data").st_mode & 0o777 == 0o600)
        try VolumeOwnership.apply(fsGroup: 4321, policy: "Always", root: root)
        #expect(info(root + "/sub/data").st_mode & 0o777 == 0o660)
    }
}
