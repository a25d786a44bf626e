/// Why a string is not a Kubernetes quantity; the messages are apimachinery's.
public enum QuantityError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text does not have the shape `<number><suffix>`.
    case formatWrong
    /// The numeric part cannot be represented.
    case numeric
    /// The suffix is not one Kubernetes knows.
    case suffix

    /// apimachinery's wording.
    public var description: String {
        switch self {
        case .formatWrong:
            return "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
        case .numeric:
            return "unable to parse numeric part of quantity"
        case .suffix:
            return "unable to parse quantity's suffix"
        }
    }
}
