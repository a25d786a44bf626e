import CRI
import FoundationEssentials
import KubeTypes
import SystemSupport

#if canImport(Glibc)
    import Glibc
#endif

/// Why a pod's volumes could not be set up: reported as a `FailedMount` event; the pod stays Pending.
struct VolumeError: Error, Sendable, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// Sets up and tears down a pod's volumes on the node: emptyDir (disk or tmpfs), hostPath with its type checks,
/// node-local claim directories, and downward-API files. Volumes are prepared before the sandbox is created and
/// bind-mounted into containers through CRI mounts.
enum VolumeManager {
    static let emptyDirPlugin = "kubernetes.io~empty-dir"
    static let downwardAPIPlugin = "kubernetes.io~downward-api"

    /// Prepares every volume of `pod`; returns each volume's host path.
    static func setUp(_ pod: Pod, paths: PodPaths, root: String, configuration: PodManagerConfiguration, podIPs: [String])
        throws -> [String: String]
    {
        var hostPaths: [String: String] = [:]
        let files = FileManager.default
        let fsGroup = pod.spec.securityContext?.fsGroup
        let fsGroupPolicy = pod.spec.securityContext?.fsGroupChangePolicy
        for volume in pod.spec.volumes ?? [] {
            if let emptyDir = volume.emptyDir {
                let path = paths.volumeDirectory(plugin: emptyDirPlugin, name: volume.name)
                try makeDirectory(path, mode: 0o777)
                if emptyDir.medium == "Memory" && !isMountPoint(path) {
                    var options = "mode=0777"
                    if let size = emptyDir.sizeLimit, size.value > 0 { options += ",size=\(size.value)" }
                    if mount("tmpfs", path, "tmpfs", 0, options) != 0 {
                        throw VolumeError(message: "MountVolume.SetUp failed for volume \"\(volume.name)\": tmpfs mount at \(path): \(String(cString: strerror(errno)))")
                    }
                }
                // The directory is made 0777 regardless of the umask, as kubelet does.
                chmod(path, 0o777)
                hostPaths[volume.name] = path
            } else if let hostPath = volume.hostPath {
                try checkHostPath(hostPath, volume: volume.name)
                hostPaths[volume.name] = hostPath.path
            } else if let claim = volume.persistentVolumeClaim {
                let path = PodPaths.claimDirectory(root: root, namespace: paths.namespace, claim: claim.claimName)
                try makeDirectory(path, mode: 0o777)
                hostPaths[volume.name] = path
            } else if let downward = volume.downwardAPI {
                let path = paths.volumeDirectory(plugin: downwardAPIPlugin, name: volume.name)
                try makeDirectory(path, mode: 0o755)
                let context = ContainerBuildContext(
                    container: pod.spec.containers.first ?? Container(), isInit: false, attempt: 0, paths: paths,
                    configuration: configuration, podIPs: podIPs, imageUID: nil, imageUsername: "", mounts: [])
                for item in downward.items ?? [] {
                    let value: String
                    do {
                        if let fieldRef = item.fieldRef {
                            value = try ContainerConfigBuilder.fieldValue(fieldRef.fieldPath, pod: pod, context: context)
                        } else if let resourceRef = item.resourceFieldRef {
                            value = try ContainerConfigBuilder.resourceValue(resourceRef, pod: pod, context: context)
                        } else {
                            continue
                        }
                    } catch {
                        throw VolumeError(message: "MountVolume.SetUp failed for volume \"\(volume.name)\": \(error.message)")
                    }
                    let file = path + "/" + item.path
                    try makeDirectory(PathNames.deletingLastComponent(of: file), mode: 0o755)
                    guard files.createFile(atPath: file, contents: Data(value.utf8)) else {
                        throw VolumeError(message: "MountVolume.SetUp failed for volume \"\(volume.name)\": cannot write \(file)")
                    }
                    chmod(file, mode_t(item.mode ?? downward.defaultMode ?? 0o644))
                }
                hostPaths[volume.name] = path
            } else {
                throw VolumeError(message: "volume \"\(volume.name)\": this volume type is not supported on this node")
            }
        }
        // kubelet gives emptyDir, downward-API and claim volumes to the pod's fsGroup; hostPath is the node's own.
        if let fsGroup {
            for volume in pod.spec.volumes ?? [] where volume.hostPath == nil {
                guard let path = hostPaths[volume.name] else { continue }
                do {
                    try VolumeOwnership.apply(fsGroup: fsGroup, policy: fsGroupPolicy, root: path)
                } catch let error as VolumeError {
                    throw VolumeError(message: "MountVolume.SetUp failed for volume \"\(volume.name)\": \(error.message)")
                }
            }
        }
        return hostPaths
    }

    /// kubelet's hostPath type checks.
    static func checkHostPath(_ source: HostPathVolumeSource, volume: String) throws {
        let path = source.path
        var info = stat()
        let exists = stat(path, &info) == 0
        let kind = info.st_mode & S_IFMT
        func fail(_ what: String) -> VolumeError {
            VolumeError(message: "MountVolume.SetUp failed for volume \"\(volume)\" : hostPath type check failed: \(path) is not \(what)")
        }
        switch source.type ?? "" {
        case "":
            return
        case "DirectoryOrCreate":
            if !exists { try makeDirectory(path, mode: 0o755) } else if kind != S_IFDIR { throw fail("a directory") }
        case "Directory":
            guard exists, kind == S_IFDIR else { throw fail("a directory") }
        case "FileOrCreate":
            if !exists {
                let fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0o644)
                guard fd >= 0 else {
                    throw VolumeError(message: "MountVolume.SetUp failed for volume \"\(volume)\" : cannot create file \(path): \(String(cString: strerror(errno)))")
                }
                close(fd)
            } else if kind != S_IFREG {
                throw fail("a file")
            }
        case "File":
            guard exists, kind == S_IFREG else { throw fail("a file") }
        case "Socket":
            guard exists, kind == S_IFSOCK else { throw fail("a socket file") }
        case "CharDevice":
            guard exists, kind == S_IFCHR else { throw fail("a character device") }
        case "BlockDevice":
            guard exists, kind == S_IFBLK else { throw fail("a block device") }
        default:
            throw VolumeError(message: "MountVolume.SetUp failed for volume \"\(volume)\" : unknown hostPath type \(source.type ?? "")")
        }
    }

    /// The CRI mounts of `container` from the prepared volumes (`subPath` and `readOnly` applied).
    static func mounts(_ container: Container, pod: Pod, hostPaths: [String: String]) throws -> [Runtime_V1_Mount] {
        var mounts: [Runtime_V1_Mount] = []
        for volumeMount in container.volumeMounts ?? [] {
            guard var hostPath = hostPaths[volumeMount.name] else {
                throw VolumeError(message: "cannot find volume \"\(volume(volumeMount.name))\" to mount into container \"\(container.name)\"")
            }
            if let subPath = volumeMount.subPath, !subPath.isEmpty {
                if subPath.hasPrefix("/") || subPath.split(separator: "/").contains("..") {
                    throw VolumeError(message: "subPath \"\(subPath)\" must be a relative path without \"..\"")
                }
                hostPath += "/" + subPath
                if !FileManager.default.fileExists(atPath: hostPath) { try makeDirectory(hostPath, mode: 0o777) }
            }
            let podVolume = pod.spec.volumes?.first { $0.name == volumeMount.name }
            var mount = Runtime_V1_Mount()
            mount.containerPath = volumeMount.mountPath
            mount.hostPath = hostPath
            mount.readonly = volumeMount.readOnly == true || podVolume?.persistentVolumeClaim?.readOnly == true
                || podVolume?.downwardAPI != nil
            switch volumeMount.mountPropagation {
            case "HostToContainer": mount.propagation = .propagationHostToContainer
            case "Bidirectional": mount.propagation = .propagationBidirectional
            default: mount.propagation = .propagationPrivate
            }
            mounts.append(mount)
        }
        return mounts
    }

    private static func volume(_ name: String) -> String { name }

    /// Unmounts tmpfs volumes and removes the pod directory (claim directories live elsewhere and stay).
    static func tearDown(paths: PodPaths) {
        let emptyDirs = paths.podDirectory + "/volumes/" + emptyDirPlugin
        for name in (try? FileManager.default.contentsOfDirectory(atPath: emptyDirs)) ?? [] {
            let path = emptyDirs + "/" + name
            if isMountPoint(path) { umount2(path, Int32(MNT_DETACH)) }
        }
        try? FileManager.default.removeItem(atPath: paths.podDirectory)
        try? FileManager.default.removeItem(atPath: paths.logDirectory)
    }

    static func makeDirectory(_ path: String, mode: Int) throws {
        do {
            try FileManager.default.createDirectory(
                atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: mode])
            // mkdir applies the umask; the mode must hold exactly (0777 lets non-root containers write).
            chmod(path, mode_t(mode))
        } catch {
            throw VolumeError(message: "cannot create directory \(path): \(FileErrorReason.describe(error))")
        }
    }

    /// True when `path` is a mount point (listed in /proc/self/mountinfo).
    static func isMountPoint(_ path: String) -> Bool {
        guard let text = try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8) else { return false }
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            if fields.count > 4, fields[4] == path { return true }
        }
        return false
    }
}
