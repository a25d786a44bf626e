/// A value that is either an integer or a string (`intstr.IntOrString`), e.g. a probe port `8080` or `http`.
public enum IntOrString: Sendable, Hashable, Codable, CustomStringConvertible, ExpressibleByIntegerLiteral,
    ExpressibleByStringLiteral
{
    /// An integer, e.g. a port number.
    case int(Int32)
    /// A string, e.g. a named container port.
    case string(String)

    /// An integer value.
    public init(integerLiteral value: Int32) { self = .int(value) }

    /// A string value.
    public init(stringLiteral value: String) { self = .string(value) }

    /// The integer, or nil for a string.
    public var intValue: Int32? {
        if case let .int(i) = self { return i }
        return nil
    }

    /// The string, or nil for an integer.
    public var stringValue: String? {
        if case let .string(s) = self { return s }
        return nil
    }

    /// The value as text.
    public var description: String {
        switch self {
        case let .int(i): return String(i)
        case let .string(s): return s
        }
    }

    /// Decodes a JSON integer or string.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let i = try? container.decode(Int32.self) {
            self = .int(i)
        } else {
            self = .string(try container.decode(String.self))
        }
    }

    /// Encodes a JSON integer or string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case let .int(i): try container.encode(i)
        case let .string(s): try container.encode(s)
        }
    }
}

/// Amounts of named resources (`cpu`, `memory`, `ephemeral-storage`, `hugepages-2Mi`, ...).
public typealias ResourceList = [String: Quantity]
