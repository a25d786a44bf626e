/// One requirement of a label selector, e.g. `tier in (web,api)`.
public struct LabelRequirement: Sendable, Equatable, CustomStringConvertible {
    /// The comparison a requirement makes.
    public enum Operator: String, Sendable, Equatable {
        /// `key=value`.
        case equals = "="
        /// `key==value`.
        case doubleEquals = "=="
        /// `key!=value`: the label is absent or differs.
        case notEquals = "!="
        /// `key in (a,b)`.
        case `in` = "in"
        /// `key notin (a,b)`: the label is absent or not in the set.
        case notIn = "notin"
        /// `key`.
        case exists = "exists"
        /// `!key`.
        case doesNotExist = "!"
        /// `key>5` (integer comparison).
        case greaterThan = "gt"
        /// `key<5` (integer comparison).
        case lessThan = "lt"
    }

    /// The label key.
    public var key: String
    /// The comparison.
    public var `operator`: Operator
    /// The values, sorted and without duplicates.
    public var values: [String]

    /// Whether `labels` satisfy this requirement.
    public func matches(_ labels: [String: String]) -> Bool {
        let value = labels[key]
        switch self.operator {
        case .equals, .doubleEquals, .in:
            guard let value else { return false }
            return values.contains(value)
        case .notEquals, .notIn:
            guard let value else { return true }
            return !values.contains(value)
        case .exists:
            return value != nil
        case .doesNotExist:
            return value == nil
        case .greaterThan, .lessThan:
            guard let value, let actual = Int64(value), values.count == 1, let bound = Int64(values[0]) else {
                return false
            }
            return self.operator == .greaterThan ? actual > bound : actual < bound
        }
    }

    /// The requirement in selector syntax, as apimachinery prints it.
    public var description: String {
        switch self.operator {
        case .exists: return key
        case .doesNotExist: return "!" + key
        case .in: return key + " in (" + values.joined(separator: ",") + ")"
        case .notIn: return key + " notin (" + values.joined(separator: ",") + ")"
        case .greaterThan: return key + ">" + (values.first ?? "")
        case .lessThan: return key + "<" + (values.first ?? "")
        case .equals, .doubleEquals, .notEquals: return key + self.operator.rawValue + (values.first ?? "")
        }
    }
}
