/// Why a label or field selector could not be parsed; `message` is worded as apimachinery words it.
public struct SelectorError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The full message, e.g. `unable to parse requirement: found '', expected: identifier`.
    public var message: String

    /// An error with `message`.
    public init(_ message: String) {
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
