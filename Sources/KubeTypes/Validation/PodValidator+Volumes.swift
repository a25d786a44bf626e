extension PodValidator {
    /// Validates the volumes and returns the valid ones by name; a mount of an invalid volume is then reported
    /// as not found too, as the API server does.
    mutating func validateVolumes(_ volumes: [Volume], _ path: ValidationPath) -> [String: Volume] {
        var valid: [String: Volume] = [:]
        var names = Set<String>()
        for (i, volume) in volumes.enumerated() {
            let p = path.index(i)
            var sub = PodValidator()
            sub.validateVolumeSource(volume, path: p)
            if volume.name.isEmpty {
                sub.add(.required(p.child("name")))
            } else {
                sub.addInvalid(p.child("name"), volume.name, NameRules.dns1123Label(volume.name))
            }
            if names.contains(volume.name) { sub.add(.duplicate(p.child("name"), .string(volume.name))) }
            if sub.errors.isEmpty {
                names.insert(volume.name)
                valid[volume.name] = volume
            } else {
                errors += sub.errors
            }
        }
        return valid
    }

    /// The names of the sources set on `volume`, in Kubernetes' field order.
    static func sourceNames(_ v: Volume) -> [String] {
        let all: [(String, Bool)] = [
            ("hostPath", v.hostPath != nil), ("emptyDir", v.emptyDir != nil),
            ("gcePersistentDisk", v.gcePersistentDisk != nil), ("awsElasticBlockStore", v.awsElasticBlockStore != nil),
            ("gitRepo", v.gitRepo != nil), ("secret", v.secret != nil), ("nfs", v.nfs != nil), ("iscsi", v.iscsi != nil),
            ("glusterfs", v.glusterfs != nil), ("persistentVolumeClaim", v.persistentVolumeClaim != nil),
            ("rbd", v.rbd != nil), ("flexVolume", v.flexVolume != nil), ("cinder", v.cinder != nil),
            ("cephfs", v.cephfs != nil), ("flocker", v.flocker != nil), ("downwardAPI", v.downwardAPI != nil),
            ("fc", v.fc != nil), ("azureFile", v.azureFile != nil), ("configMap", v.configMap != nil),
            ("vsphereVolume", v.vsphereVolume != nil), ("quobyte", v.quobyte != nil), ("azureDisk", v.azureDisk != nil),
            ("photonPersistentDisk", v.photonPersistentDisk != nil), ("projected", v.projected != nil),
            ("portworxVolume", v.portworxVolume != nil), ("scaleIO", v.scaleIO != nil),
            ("storageos", v.storageos != nil), ("csi", v.csi != nil), ("ephemeral", v.ephemeral != nil),
            ("image", v.image != nil),
        ]
        return all.filter(\.1).map(\.0)
    }

    static let hostPathTypes = ["", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"]

    mutating func validateVolumeSource(_ v: Volume, path: ValidationPath) {
        let sources = PodValidator.sourceNames(v)
        if sources.isEmpty {
            add(.required(path, "must specify a volume type"))
            return
        }
        for extra in sources.dropFirst() {
            add(.forbidden(path.child(extra), "may not specify more than 1 volume type"))
        }
        if let hostPath = v.hostPath {
            let p = path.child("hostPath")
            if hostPath.path.isEmpty { add(.required(p.child("path"))) }
            noBacksteps(hostPath.path, p.child("path"))
            if let type = hostPath.type, !PodValidator.hostPathTypes.contains(type) {
                add(.notSupported(p.child("type"), .string(type), supported: PodValidator.hostPathTypes))
            }
        }
        if let emptyDir = v.emptyDir, let limit = emptyDir.sizeLimit, limit.sign < 0 {
            add(.forbidden(path.child("emptyDir").child("sizeLimit"), "SizeLimit field must be a valid resource quantity"))
        }
        if let claim = v.persistentVolumeClaim, claim.claimName.isEmpty {
            add(.required(path.child("persistentVolumeClaim").child("claimName")))
        }
        if let downward = v.downwardAPI {
            let p = path.child("downwardAPI")
            if let mode = downward.defaultMode, mode < 0 || mode > 0o777 {
                add(.invalid(p.child("defaultMode"), .int(Int64(mode)), PodValidator.fileModeMessage))
            }
            // apimachinery reports item errors against `downwardAPI`, not the item index.
            for file in downward.items ?? [] {
                if file.path.isEmpty { add(.required(p.child("path"))) }
                localNonReservedPath(file.path, p.child("path"))
                if let ref = file.fieldRef {
                    validateObjectFieldSelector(ref, allowed: PodValidator.volumeFieldPaths, path: p.child("fieldRef"))
                    if file.resourceFieldRef != nil {
                        add(.invalid(p, .string("resource"), "fieldRef and resourceFieldRef can not be specified simultaneously"))
                    }
                } else if let ref = file.resourceFieldRef {
                    validateResourceFieldSelector(ref, volume: true, path: p.child("resourceFieldRef"))
                } else {
                    add(.required(p, "one of fieldRef and resourceFieldRef is required"))
                }
                if let mode = file.mode, mode < 0 || mode > 0o777 {
                    add(.invalid(p.child("mode"), .int(Int64(mode)), PodValidator.fileModeMessage))
                }
            }
        }
    }

    static let fileModeMessage = "must be a number between 0 and 0777 (octal), both inclusive"

    mutating func noBacksteps(_ target: String, _ path: ValidationPath) {
        if target.split(separator: "/", omittingEmptySubsequences: false).contains("..") {
            add(.invalid(path, .string(target), "must not contain '..'"))
        }
    }

    mutating func localDescendingPath(_ target: String, _ path: ValidationPath) {
        if target.hasPrefix("/") { add(.invalid(path, .string(target), "must be a relative path")) }
        noBacksteps(target, path)
    }

    mutating func localNonReservedPath(_ target: String, _ path: ValidationPath) {
        localDescendingPath(target, path)
        if target.hasPrefix(".."), !target.hasPrefix("../") {
            add(.invalid(path, .string(target), "must not start with '..'"))
        }
    }

    mutating func validateVolumeMounts(
        _ mounts: [VolumeMount], devices: [VolumeDevice], volumes: [String: Volume], container: Container,
        path: ValidationPath
    ) {
        var mountPoints = Set<String>()
        for (i, mount) in mounts.enumerated() {
            let p = path.index(i)
            if mount.name.isEmpty { add(.required(p.child("name"))) }
            if volumes[mount.name] == nil { add(.notFound(p.child("name"), .string(mount.name))) }
            if mount.mountPath.isEmpty { add(.required(p.child("mountPath"))) }
            if mountPoints.contains(mount.mountPath) {
                add(.invalid(p.child("mountPath"), .string(mount.mountPath), "must be unique"))
            }
            mountPoints.insert(mount.mountPath)
            if devices.contains(where: { $0.name == mount.name }) {
                add(.invalid(p.child("name"), .string(mount.name), "must not already exist in volumeDevices"))
            }
            if devices.contains(where: { $0.devicePath == mount.mountPath }) {
                add(.invalid(p.child("mountPath"), .string(mount.mountPath), "must not already exist as a path in volumeDevices"))
            }
            // apimachinery reports subPath problems against `volumeMounts.subPath`, without the index.
            if let sub = mount.subPath, !sub.isEmpty { localDescendingPath(sub, path.child("subPath")) }
            if let expr = mount.subPathExpr, !expr.isEmpty {
                if let sub = mount.subPath, !sub.isEmpty {
                    add(.invalid(p.child("subPathExpr"), .string(expr), "subPathExpr and subPath are mutually exclusive"))
                }
                localDescendingPath(expr, path.child("subPathExpr"))
            }
            if let propagation = mount.mountPropagation {
                let supported = ["Bidirectional", "HostToContainer", "None"]
                if !supported.contains(propagation) {
                    add(.notSupported(path.child("mountPropagation"), .string(propagation), supported: supported))
                } else if propagation == "Bidirectional", container.securityContext?.privileged != true {
                    add(.forbidden(path.child("mountPropagation"), "Bidirectional mount propagation is available only to privileged containers"))
                }
            }
            if let rro = mount.recursiveReadOnly {
                let supported = ["Disabled", "Enabled", "IfPossible"]
                if !supported.contains(rro) {
                    add(.notSupported(path.child("recursiveReadOnly"), .string(rro), supported: supported))
                } else if rro != "Disabled", mount.readOnly != true {
                    add(.forbidden(path.child("recursiveReadOnly"), "may only be specified when readOnly is true"))
                }
            }
        }
    }

    mutating func validateVolumeDevices(
        _ devices: [VolumeDevice], mounts: [VolumeMount], volumes: [String: Volume], path: ValidationPath
    ) {
        var paths = Set<String>()
        var names = Set<String>()
        for (i, device) in devices.enumerated() {
            let p = path.index(i)
            if device.name.isEmpty { add(.required(p.child("name"))) }
            if !names.insert(device.name).inserted { add(.invalid(p.child("name"), .string(device.name), "must be unique")) }
            if let volume = volumes[device.name] {
                if volume.persistentVolumeClaim == nil && volume.ephemeral == nil {
                    add(.invalid(p.child("name"), .string(device.name),
                                 "can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode"))
                }
            } else {
                add(.notFound(p.child("name"), .string(device.name)))
            }
            if device.devicePath.isEmpty { add(.required(p.child("devicePath"))) }
            if !paths.insert(device.devicePath).inserted {
                add(.invalid(p.child("devicePath"), .string(device.devicePath), "must be unique"))
            }
            if device.devicePath.split(separator: "/", omittingEmptySubsequences: false).contains("..") {
                add(.invalid(p.child("devicePath"), .string(device.devicePath), "can not contain backsteps ('..')"))
            }
            if mounts.contains(where: { $0.name == device.name }) {
                add(.invalid(p.child("name"), .string(device.name), "must not already exist in volumeMounts"))
            }
        }
    }
}
