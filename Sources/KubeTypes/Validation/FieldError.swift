/// One validation problem, as apimachinery's `field.Error`: a type, the path of the field, the offending value
/// and a detail. `description` is formatted exactly as the API server formats it, e.g.
/// `spec.containers[0].image: Required value` or
/// `metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of ...`.
public struct FieldError: Sendable, Equatable, Error, CustomStringConvertible {
    /// The kind of problem; the raw value is the `reason` of the matching `StatusCause`.
    public enum ErrorType: String, Sendable, Equatable {
        /// The value refers to something that does not exist.
        case notFound = "FieldValueNotFound"
        /// A required value is missing.
        case required = "FieldValueRequired"
        /// The value must be unique and is not.
        case duplicate = "FieldValueDuplicate"
        /// The value is malformed or out of range.
        case invalid = "FieldValueInvalid"
        /// The value is not one of the supported values.
        case notSupported = "FieldValueNotSupported"
        /// The value is valid but not allowed here.
        case forbidden = "FieldValueForbidden"
        /// The value is too long.
        case tooLong = "FieldValueTooLong"
        /// The list has too many items.
        case tooMany = "FieldValueTooMany"
        /// Validation itself failed.
        case `internal` = "InternalError"

        /// The human-readable name apimachinery prints.
        public var label: String {
            switch self {
            case .notFound: return "Not found"
            case .required: return "Required value"
            case .duplicate: return "Duplicate value"
            case .invalid: return "Invalid value"
            case .notSupported: return "Unsupported value"
            case .forbidden: return "Forbidden"
            case .tooLong: return "Too long"
            case .tooMany: return "Too many"
            case .internal: return "Internal error"
            }
        }
    }

    /// The offending value, rendered as apimachinery renders it (strings quoted, numbers and booleans bare).
    public enum BadValue: Sendable, Equatable, CustomStringConvertible {
        /// A string, printed quoted.
        case string(String)
        /// An integer, printed bare.
        case int(Int64)
        /// A boolean, printed bare.
        case bool(Bool)
        /// A structured value already rendered as JSON.
        case json(String)

        /// The rendering used in messages.
        public var description: String {
            switch self {
            case let .string(s): return quoted(s)
            case let .int(i): return String(i)
            case let .bool(b): return String(b)
            case let .json(j): return j
            }
        }
    }

    /// The kind of problem.
    public var type: ErrorType
    /// Path of the field, e.g. `spec.containers[1].image`.
    public var field: String
    /// The offending value, when the error type shows one.
    public var badValue: BadValue?
    /// Explanation, e.g. `must be no more than 63 characters`.
    public var detail: String

    /// An error with every part given.
    public init(type: ErrorType, field: String, badValue: BadValue? = nil, detail: String = "") {
        self.type = type
        self.field = field
        self.badValue = badValue
        self.detail = detail
    }

    /// The message without the field, as `ErrorBody()` (and `StatusCause.message`) gives it.
    public var body: String {
        var s = type.label
        switch type {
        case .invalid, .notSupported, .notFound, .duplicate, .tooMany:
            if let badValue { s += ": \(badValue)" }
        case .required, .forbidden, .tooLong, .internal:
            break
        }
        if !detail.isEmpty { s += ": \(detail)" }
        return s
    }

    /// `<field>: <body>`.
    public var description: String { "\(field): \(body)" }

    // MARK: Constructors named as apimachinery's field package names them.

    /// `Required value`.
    public static func required(_ path: ValidationPath, _ detail: String = "") -> FieldError {
        FieldError(type: .required, field: path.string, detail: detail)
    }

    /// `Invalid value: <value>: <detail>`.
    public static func invalid(_ path: ValidationPath, _ value: BadValue, _ detail: String) -> FieldError {
        FieldError(type: .invalid, field: path.string, badValue: value, detail: detail)
    }

    /// `Duplicate value: <value>`.
    public static func duplicate(_ path: ValidationPath, _ value: BadValue) -> FieldError {
        FieldError(type: .duplicate, field: path.string, badValue: value)
    }

    /// `Not found: <value>`.
    public static func notFound(_ path: ValidationPath, _ value: BadValue) -> FieldError {
        FieldError(type: .notFound, field: path.string, badValue: value)
    }

    /// `Unsupported value: <value>: supported values: "A", "B"`.
    public static func notSupported(_ path: ValidationPath, _ value: BadValue, supported: [String]) -> FieldError {
        let detail = supported.isEmpty ? "" : "supported values: " + supported.map(quoted).joined(separator: ", ")
        return FieldError(type: .notSupported, field: path.string, badValue: value, detail: detail)
    }

    /// `Forbidden: <detail>`.
    public static func forbidden(_ path: ValidationPath, _ detail: String) -> FieldError {
        FieldError(type: .forbidden, field: path.string, detail: detail)
    }

    /// `Too long: may not be more than <n> bytes`.
    public static func tooLong(_ path: ValidationPath, maxLength: Int) -> FieldError {
        FieldError(type: .tooLong, field: path.string, badValue: .string("<value omitted>"),
                   detail: "may not be more than \(maxLength) \(maxLength == 1 ? "byte" : "bytes")")
    }

    /// `Too many: <actual>: must have at most <max> items`.
    public static func tooMany(_ path: ValidationPath, actual: Int, max: Int) -> FieldError {
        FieldError(type: .tooMany, field: path.string, badValue: .int(Int64(actual)),
                   detail: "must have at most \(max) \(max == 1 ? "item" : "items")")
    }
}
