/// A parsed label selector (`labels.Parse`): requirements joined by `,`, all of which must hold.
///
/// Accepts exactly apimachinery's grammar: `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`,
/// `k>1`, `k<1`; keys must be qualified names and values valid label values. The empty string selects
/// everything.
public struct LabelSelector: Sendable, Equatable, CustomStringConvertible {
    /// The requirements, sorted by key (as apimachinery sorts them).
    public var requirements: [LabelRequirement]

    /// A selector that matches every object.
    public static let everything = LabelSelector(requirements: [])

    /// A selector made of `requirements`.
    public init(requirements: [LabelRequirement]) {
        self.requirements = requirements
    }

    /// Parses selector syntax; throws `SelectorError` with apimachinery's message.
    public init(parsing text: String) throws(SelectorError) {
        var parser = LabelSelectorParser(tokens: LabelSelectorLexer.tokens(of: text))
        let parsed = try parser.parse()
        self.requirements = parsed.enumerated()
            .sorted { ($0.element.key, $0.offset) < ($1.element.key, $1.offset) }
            .map(\.element)
    }

    /// Whether the selector has no requirements (matches everything).
    public var isEmpty: Bool { requirements.isEmpty }

    /// Whether `labels` satisfy every requirement.
    public func matches(_ labels: [String: String]) -> Bool {
        requirements.allSatisfy { $0.matches(labels) }
    }

    /// The selector in canonical syntax.
    public var description: String {
        requirements.map(\.description).joined(separator: ",")
    }
}
