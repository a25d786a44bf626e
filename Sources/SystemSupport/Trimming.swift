extension StringProtocol {
    /// The text without leading and trailing spaces and tabs, as Foundation's
    /// `trimmingCharacters(in: .whitespaces)` returns it: every Unicode space separator (category Zs, which includes
    /// U+00A0 and U+3000), U+200B and the tab, but no line breaks.
    public func trimmingWhitespace() -> String {
        trimming(where: \.isSpaceOrTab)
    }

    /// The text without leading and trailing whitespace and line breaks, as Foundation's
    /// `trimmingCharacters(in: .whitespacesAndNewlines)` returns it: what `trimmingWhitespace()` removes plus
    /// U+000A–U+000D, U+0085, U+2028 and U+2029.
    public func trimmingWhitespaceAndNewlines() -> String {
        trimming(where: \.isSpaceTabOrNewline)
    }

    /// The text without the leading and trailing Unicode scalars for which `isTrimmed` is true.
    ///
    /// Works on scalars, not characters, as Foundation does: trimming a space off " \u{301}a" leaves the combining
    /// accent, and a "\r\n" at the end is removed whole.
    public func trimming(where isTrimmed: (Unicode.Scalar) -> Bool) -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !isTrimmed($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !isTrimmed($0) }) ?? first
        // Scalar-aligned bounds: slicing by them keeps exactly the scalars in between, even inside a character.
        return String(self[first..<scalars.index(after: last)])
    }
}

extension Unicode.Scalar {
    /// In Foundation's `CharacterSet.whitespaces`. That set is CoreFoundation's, not Unicode's `White_Space`
    /// property: it has U+200B (zero width space) and no line breaks.
    var isSpaceOrTab: Bool {
        switch value {
        case 0x09, 0x20, 0xA0, 0x1680, 0x2000...0x200B, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }

    /// In Foundation's `CharacterSet.whitespacesAndNewlines`.
    var isSpaceTabOrNewline: Bool {
        switch value {
        case 0x0A...0x0D, 0x85, 0x2028, 0x2029: return true
        default: return isSpaceOrTab
        }
    }
}
