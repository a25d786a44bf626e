extension PodValidator {
    /// Whether `name` is one of Kubernetes' own resources (no domain, or in the `kubernetes.io` domain).
    static func isNativeResource(_ name: String) -> Bool {
        !name.contains("/") || name.contains("kubernetes.io/")
    }

    static func isHugePages(_ name: String) -> Bool { name.hasPrefix("hugepages-") }

    /// Requests may be below limits only for native, non-hugepage resources.
    static func isOvercommitAllowed(_ name: String) -> Bool {
        isNativeResource(name) && !isHugePages(name)
    }

    static func isStandardContainerResource(_ name: String) -> Bool {
        ["cpu", "memory", "ephemeral-storage"].contains(name) || isHugePages(name)
    }

    mutating func validateResourceName(_ name: String, path: ValidationPath) {
        addInvalid(path, name, NameRules.qualifiedName(name))
        if !name.contains("/") {
            if !PodValidator.isStandardContainerResource(name) {
                add(.invalid(path, .string(name), "must be a standard resource for containers"))
            }
        } else if !PodValidator.isNativeResource(name), name.hasPrefix("requests.") {
            add(.invalid(path, .string(name), "doesn't follow extended resource name standard"))
        }
    }

    mutating func validateQuantityValue(_ name: String, _ q: Quantity, path: ValidationPath) {
        if q.sign < 0 {
            add(.invalid(path, .string(q.description), "must be greater than or equal to 0"))
        }
        if !PodValidator.isNativeResource(name), q.milliValue % 1000 != 0 {
            add(.invalid(path, .string(q.description), "must be an integer"))
        }
    }

    mutating func validateResources(_ r: ResourceRequirements, path: ValidationPath) {
        let limitsPath = path.child("limits")
        let requestsPath = path.child("requests")
        let limits = r.limits ?? [:]
        let requests = r.requests ?? [:]
        for name in limits.keys.sorted() {
            guard let q = limits[name] else { continue }
            validateResourceName(name, path: limitsPath.key(name))
            validateQuantityValue(name, q, path: limitsPath.key(name))
        }
        for name in requests.keys.sorted() {
            guard let q = requests[name] else { continue }
            validateResourceName(name, path: requestsPath.key(name))
            validateQuantityValue(name, q, path: requestsPath.key(name))
            if let limit = limits[name] {
                if q != limit, !PodValidator.isOvercommitAllowed(name) {
                    add(.invalid(requestsPath, .string(q.description), "must be equal to \(name) limit of \(limit)"))
                } else if q > limit {
                    add(.invalid(requestsPath, .string(q.description),
                                 "must be less than or equal to \(name) limit of \(limit)"))
                }
            } else if !PodValidator.isOvercommitAllowed(name) {
                add(.required(limitsPath, "Limit must be set for non overcommitable resources"))
            }
        }
    }
}
