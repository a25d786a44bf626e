/// One node of a composed YAML document: libyaml's events assembled into a tree, with every alias already
/// replaced by the node its anchor names (shared, not copied, so a small text cannot grow here).
struct YAMLNode: Sendable {
    /// How a scalar was written; only an unquoted, untagged scalar is typed by the core schema.
    enum ScalarStyle: Sendable {
        case plain, singleQuoted, doubleQuoted, literal, folded
    }

    /// The node's kind and children.
    enum Content: Sendable {
        case scalar(String, ScalarStyle)
        case sequence([YAMLNode])
        /// Pairs in document order; keys may repeat here (the composer and the converter refuse that).
        case mapping([(key: YAMLNode, value: YAMLNode)])
    }

    var content: Content
    /// The tag as libyaml resolved it against `%TAG` handles (`!!str` is `tag:yaml.org,2002:str`, a lone `!` is
    /// `!`), or nil when none was written.
    var tag: String?
    /// Where the node starts (for an alias: where its anchored node starts, as Yams reported it).
    var mark: YAMLMark
    /// Collections on the longest path down from this node, itself included (0 for a scalar); aliases count
    /// with the height of what they name, so the composer can bound the tree that the converter walks.
    var height: Int
}

/// A 1-based position in the YAML text; columns count Unicode scalars (libyaml counts them so).
struct YAMLMark: Sendable, Equatable {
    var line: Int
    var column: Int
}
