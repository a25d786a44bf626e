/// Factories for the error statuses of apimachinery's `errors` package, with its exact wording.
///
/// `resource` is the plural resource name (`pods`), as apimachinery's `GroupResource`; `kind` is the kind
/// (`Pod`), as its `GroupKind`. Group is empty for the core API, so neither is qualified.
extension Status {
    /// 404 `pods "x" not found`.
    public static func notFound(resource: String, name: String) -> Status {
        failure(code: 404, reason: StatusReason.notFound, message: "\(resource) \(quoted(name)) not found",
                details: StatusDetails(name: name, kind: resource))
    }

    /// 409 `pods "x" already exists`.
    public static func alreadyExists(resource: String, name: String) -> Status {
        failure(code: 409, reason: StatusReason.alreadyExists, message: "\(resource) \(quoted(name)) already exists",
                details: StatusDetails(name: name, kind: resource))
    }

    /// 409 for a generated name that collided: `pods "x" already exists, the server was not able to generate a
    /// unique name for the object`.
    public static func generateNameConflict(resource: String, name: String, retryAfterSeconds: Int32) -> Status {
        failure(
            code: 409, reason: StatusReason.alreadyExists,
            message: "\(resource) \(quoted(name)) already exists, the server was not able to generate a unique name for the object",
            details: StatusDetails(name: name, kind: resource, retryAfterSeconds: retryAfterSeconds))
    }

    /// 422 `Pod "x" is invalid: [a: Required value, b: Invalid value: ...]`, with one cause per field error.
    public static func invalid(kind: String, name: String, errors: [FieldError]) -> Status {
        let causes = errors.map { StatusCause(reason: $0.type.rawValue, message: $0.body, field: $0.field) }
        var message = "\(kind) \(quoted(name)) is invalid"
        if !errors.isEmpty {
            message += ": " + aggregate(errors.map(\.description))
        }
        return failure(code: 422, reason: StatusReason.invalid, message: message,
                       details: StatusDetails(name: name, kind: kind, causes: causes))
    }

    /// 400 with the given message.
    public static func badRequest(_ message: String) -> Status {
        failure(code: 400, reason: StatusReason.badRequest, message: message)
    }

    /// 403 `pods "x" is forbidden: <why>` (or `pods is forbidden: <why>` without a name, `forbidden: <why>` without
    /// a resource).
    public static func forbidden(resource: String, name: String, reason why: String) -> Status {
        let message: String
        if resource.isEmpty {
            message = "forbidden: \(why)"
        } else if name.isEmpty {
            message = "\(resource) is forbidden: \(why)"
        } else {
            message = "\(resource) \(quoted(name)) is forbidden: \(why)"
        }
        return failure(code: 403, reason: StatusReason.forbidden, message: message,
                       details: StatusDetails(name: name.isEmpty ? nil : name, kind: resource.isEmpty ? nil : resource))
    }

    /// 409 `Operation cannot be fulfilled on pods "x": <why>`.
    public static func conflict(resource: String, name: String, reason why: String) -> Status {
        failure(code: 409, reason: StatusReason.conflict,
                message: "Operation cannot be fulfilled on \(resource) \(quoted(name)): \(why)",
                details: StatusDetails(name: name, kind: resource))
    }

    /// 410 `Expired`, e.g. `too old resource version: 5 (10)` for a watch from before the history window.
    public static func expired(_ message: String) -> Status {
        failure(code: 410, reason: StatusReason.expired, message: message)
    }

    /// 410 `Gone`.
    public static func gone(_ message: String) -> Status {
        failure(code: 410, reason: StatusReason.gone, message: message)
    }

    /// 405 `<action> is not supported on resources of kind "pods"`.
    public static func methodNotAllowed(resource: String, action: String) -> Status {
        failure(code: 405, reason: StatusReason.methodNotAllowed,
                message: "\(action) is not supported on resources of kind \(quoted(resource))",
                details: StatusDetails(kind: resource))
    }

    /// 401 with the given message, `not authorized` when empty.
    public static func unauthorized(_ message: String = "") -> Status {
        failure(code: 401, reason: StatusReason.unauthorized, message: message.isEmpty ? "not authorized" : message)
    }

    /// 500 `Internal error occurred: <why>`.
    public static func internalError(_ why: String) -> Status {
        failure(code: 500, reason: StatusReason.internalError, message: "Internal error occurred: \(why)",
                details: StatusDetails(causes: [StatusCause(message: why)]))
    }

    /// 503 with the given message.
    public static func serviceUnavailable(_ message: String) -> Status {
        failure(code: 503, reason: StatusReason.serviceUnavailable, message: message)
    }

    /// 504 `Timeout: <message>`.
    public static func timeout(_ message: String, retryAfterSeconds: Int32 = 0) -> Status {
        failure(code: 504, reason: StatusReason.timeout, message: "Timeout: \(message)",
                details: StatusDetails(retryAfterSeconds: retryAfterSeconds == 0 ? nil : retryAfterSeconds))
    }

    /// 429 `Too many requests: <message>`.
    public static func tooManyRequests(_ message: String, retryAfterSeconds: Int32 = 0) -> Status {
        failure(code: 429, reason: StatusReason.tooManyRequests, message: "Too many requests: \(message)",
                details: retryAfterSeconds == 0 ? nil : StatusDetails(retryAfterSeconds: retryAfterSeconds))
    }

    /// 413 `Request entity too large: <message>`.
    public static func requestEntityTooLarge(_ message: String) -> Status {
        failure(code: 413, reason: StatusReason.requestEntityTooLarge,
                message: "Request entity too large: \(message)")
    }

    /// apimachinery's aggregate error text: one message alone, several as `[a, b]`, duplicates dropped.
    static func aggregate(_ messages: [String]) -> String {
        var seen = Set<String>()
        var unique: [String] = []
        for m in messages where seen.insert(m).inserted {
            unique.append(m)
        }
        return unique.count == 1 ? unique[0] : "[" + unique.joined(separator: ", ") + "]"
    }
}

/// A string quoted as Go's `%q` quotes it, which is how Kubernetes messages show names and values.
func quoted(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        case "\r": out += "\\r"
        default:
            if scalar.value < 0x20 || scalar.value == 0x7F {
                out += "\\x" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out + "\""
}
