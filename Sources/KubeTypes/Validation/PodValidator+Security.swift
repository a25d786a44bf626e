extension PodValidator {
    mutating func validateID(_ id: Int64?, _ path: ValidationPath) {
        if let id, id < 0 || id > Int64(Int32.max) {
            add(.invalid(path, .int(id), NameRules.inclusiveRangeError(0, Int64(Int32.max))))
        }
    }

    mutating func validateSecurityContext(_ sc: SecurityContext?, path: ValidationPath) {
        guard let sc else { return }
        validateID(sc.runAsUser, path.child("runAsUser"))
        validateID(sc.runAsGroup, path.child("runAsGroup"))
        if let procMount = sc.procMount, procMount != "Default", procMount != "Unmasked" {
            add(.notSupported(path.child("procMount"), .string(procMount), supported: ["Default", "Unmasked"]))
        }
        validateSeccomp(sc.seccompProfile, path: path.child("seccompProfile"))
        if sc.allowPrivilegeEscalation == false {
            if sc.privileged == true {
                add(.invalid(path, .json(PodValidator.render(sc)),
                             "cannot set `allowPrivilegeEscalation` to false and `privileged` to true"))
            }
            if (sc.capabilities?.add ?? []).contains("CAP_SYS_ADMIN") {
                add(.invalid(path, .json(PodValidator.render(sc)),
                             "cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN"))
            }
        }
        validateAppArmor(sc.appArmorProfile, path: path.child("appArmorProfile"))
    }

    mutating func validatePodSecurityContext(_ sc: PodSecurityContext?, _ path: ValidationPath) {
        guard let sc else { return }
        validateID(sc.fsGroup, path.child("fsGroup"))
        validateID(sc.runAsUser, path.child("runAsUser"))
        validateID(sc.runAsGroup, path.child("runAsGroup"))
        for (i, gid) in (sc.supplementalGroups ?? []).enumerated() {
            validateID(gid, path.child("supplementalGroups").index(i))
        }
        var names = Set<String>()
        for (i, sysctl) in (sc.sysctls ?? []).enumerated() {
            let p = path.child("sysctls").index(i).child("name")
            if sysctl.name.isEmpty {
                add(.required(p))
            } else if !PodValidator.isValidSysctlName(sysctl.name) {
                add(.invalid(p, .string(sysctl.name),
                             "must have at most 253 characters and match regex ^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$"))
            } else if !names.insert(sysctl.name).inserted {
                add(.duplicate(p, .string(sysctl.name)))
            }
        }
        if let policy = sc.fsGroupChangePolicy, policy != "OnRootMismatch", policy != "Always" {
            add(.notSupported(path.child("fsGroupChangePolicy"), .string(policy), supported: ["OnRootMismatch", "Always"]))
        }
        if let policy = sc.supplementalGroupsPolicy, policy != "Merge", policy != "Strict" {
            add(.notSupported(path.child("supplementalGroupsPolicy"), .string(policy), supported: ["Merge", "Strict"]))
        }
        validateSeccomp(sc.seccompProfile, path: path.child("seccompProfile"))
        validateAppArmor(sc.appArmorProfile, path: path.child("appArmorProfile"))
    }

    /// Sysctl names: dot- or slash-separated segments of `[a-z0-9]([-_a-z0-9]*[a-z0-9])?`, at most 253 bytes.
    static func isValidSysctlName(_ name: String) -> Bool {
        guard name.utf8.count <= 253 else { return false }
        let segments = name.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "." || $0 == "/" })
        return segments.allSatisfy { seg in
            let b = Array(seg.utf8)
            guard let f = b.first, let l = b.last, NameRules.isLowerAlnum(f), NameRules.isLowerAlnum(l) else { return false }
            return b.allSatisfy { NameRules.isLowerAlnum($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }
        }
    }

    static let profileTypes = ["Localhost", "RuntimeDefault", "Unconfined"]

    mutating func validateSeccomp(_ profile: SeccompProfile?, path: ValidationPath) {
        guard let profile else { return }
        if profile.type == "Localhost" {
            if let local = profile.localhostProfile {
                localDescendingPath(local, path.child("localhostProfile"))
            } else {
                add(.required(path.child("localhostProfile"), "must be set when seccomp type is Localhost"))
            }
        } else {
            if profile.localhostProfile != nil {
                add(.invalid(path.child("localhostProfile"), .json(PodValidator.render(profile)),
                             "can only be set when seccomp type is Localhost"))
            }
            if !PodValidator.profileTypes.contains(profile.type) {
                add(.notSupported(path.child("type"), .string(profile.type), supported: PodValidator.profileTypes))
            }
        }
    }

    mutating func validateAppArmor(_ profile: AppArmorProfile?, path: ValidationPath) {
        guard let profile else { return }
        if profile.type == "Localhost" {
            if (profile.localhostProfile ?? "").isEmpty {
                add(.required(path.child("localhostProfile"), "must be set when AppArmor type is Localhost"))
            }
        } else {
            if let local = profile.localhostProfile {
                add(.invalid(path.child("localhostProfile"), .string(local), "can only be set when AppArmor type is Localhost"))
            }
            if !PodValidator.profileTypes.contains(profile.type) {
                add(.notSupported(path.child("type"), .string(profile.type), supported: PodValidator.profileTypes))
            }
        }
    }

    /// A structured bad value rendered as JSON, as apimachinery renders non-scalar values.
    static func render<T: Encodable>(_ value: T) -> String {
        guard let bytes = try? KubeJSON.encode(value) else { return "{}" }
        return String(decoding: bytes, as: UTF8.self)
    }
}
