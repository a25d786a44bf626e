/// Why a JSON or YAML document could not be decoded, in the terms the Kubernetes API server uses.
///
/// `fieldPath` is Kubernetes style (`spec.containers[1].ports[0].containerPort`, `""` at the root), so the HTTP
/// layer can put it straight into a Status `details.causes[].field`. Syntax errors also carry the 1-based line and
/// column (columns count Unicode scalars).
public struct KubeDecodingError: Error, Sendable, CustomStringConvertible {
    /// The class of problem, which decides the HTTP answer (400 for syntax, 422 or 400 for the others).
    public enum Kind: Sendable {
        /// The bytes are not well-formed JSON or YAML.
        case syntax
        /// An object member that the target type does not know (strict field validation).
        case unknownField
        /// The same member appears twice in one object.
        case duplicateField
        /// A value has the wrong JSON type (a string where an integer is expected, an integer out of range, ...).
        case typeMismatch
        /// A required member is absent.
        case missingField
        /// A value has the right JSON type but is not acceptable (for example a malformed quantity).
        case invalidValue
    }

    /// The class of problem.
    public var kind: Kind
    /// Path of the first offending field, Kubernetes style; `""` for the document root or when unknown.
    public var fieldPath: String
    /// 1-based line of the problem in the input, when known.
    public var line: Int?
    /// 1-based column (in Unicode scalars) of the problem in the input, when known.
    public var column: Int?
    /// A complete human message naming the path(s) and, for syntax errors, the position.
    public var message: String
    /// Every field path this error concerns. For `.unknownField` it lists all unknown fields of the document
    /// (the API server reports them all at once); otherwise it holds `fieldPath` alone, or nothing at the root.
    public var fieldPaths: [String]

    /// Creates an error; `fieldPaths` defaults to `[fieldPath]` when `fieldPath` is not empty.
    public init(
        kind: Kind, fieldPath: String, line: Int? = nil, column: Int? = nil, message: String,
        fieldPaths: [String]? = nil
    ) {
        self.kind = kind
        self.fieldPath = fieldPath
        self.line = line
        self.column = column
        self.message = message
        self.fieldPaths = fieldPaths ?? (fieldPath.isEmpty ? [] : [fieldPath])
    }

    /// The message; it already contains the path and position.
    public var description: String { message }
}

/// Thrown by `KubeDocument` when a Content-Type is neither JSON nor YAML (the HTTP layer answers 415).
public struct KubeUnsupportedContentType: Error, Sendable, CustomStringConvertible {
    /// The Content-Type as received.
    public var contentType: String
    /// Creates the error for `contentType`.
    public init(contentType: String) { self.contentType = contentType }
    /// A human message naming the media type and the accepted ones.
    public var description: String {
        "unsupported media type \"\(contentType)\": expected application/json, application/yaml, "
            + "application/x-yaml or text/yaml"
    }
}
