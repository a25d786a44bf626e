import Foundation

/// Foundation's JSONEncoder output, as a reference for semantic comparisons in the codec tests.
func foundationJSON<T: Encodable>(_ value: T) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return try encoder.encode(value)
}
