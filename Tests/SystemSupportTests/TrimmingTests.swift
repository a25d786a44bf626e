import Foundation
import Testing
@testable import SystemSupport

/// The trimming helpers must remove exactly what Foundation's `trimmingCharacters(in:)` removed at the call sites
/// they replace; Foundation itself (allowed in tests) is the reference.
@Suite struct TrimmingTests {
    /// Every Unicode scalar is classified as Foundation's sets classify it.
    @Test func scalarSetsMatchFoundation() {
        var mismatches: [String] = []
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            if scalar.isSpaceOrTab != CharacterSet.whitespaces.contains(scalar)
                || scalar.isSpaceTabOrNewline != CharacterSet.whitespacesAndNewlines.contains(scalar) {
                mismatches.append("U+" + String(value, radix: 16))
            }
        }
        #expect(mismatches.isEmpty)
    }

    @Test func whitespaceKeepsLineBreaks() {
        #expect("\t a b \u{3000}".trimmingWhitespace() == "a b")
        #expect("\r\n a\n".trimmingWhitespace() == "\r\n a\n")
        #expect("\u{A0}\u{2009}x\u{200B}".trimmingWhitespace() == "x")
    }

    @Test func whitespaceAndNewlinesRemovesUnicodeBreaks() {
        #expect("\u{2028}\u{85} token\r\n".trimmingWhitespaceAndNewlines() == "token")
        #expect("\u{0B}\u{0C}a\u{2029}".trimmingWhitespaceAndNewlines() == "a")
        #expect(" \t\r\n ".trimmingWhitespaceAndNewlines() == "")
        #expect("".trimmingWhitespaceAndNewlines() == "")
        #expect("inner  space\tkept".trimmingWhitespaceAndNewlines() == "inner  space\tkept")
    }

    /// Trimming works on scalars: a space is removed even when a combining mark after it makes one character.
    @Test func trimsScalarsNotCharacters() {
        let text = " \u{301}a \r\n"
        #expect(Array(text.trimmingWhitespaceAndNewlines().unicodeScalars)
            == Array(text.trimmingCharacters(in: .whitespacesAndNewlines).unicodeScalars))
        #expect(Array(text.trimmingWhitespaceAndNewlines().unicodeScalars) == ["\u{301}", "a"])
    }

    @Test func substringsTrimLikeStrings() {
        let line = "CapEff:\t0000003fffffffff\n"
        #expect(line.dropFirst("CapEff:".count).trimmingWhitespace() == "0000003fffffffff\n")
        #expect(line.dropFirst("CapEff:".count).trimmingWhitespaceAndNewlines() == "0000003fffffffff")
    }

    @Test func sameAsFoundationOnSamples() {
        let samples = ["", " ", "a", " a ", "\ta\t", "\u{FEFF}a", "a\u{180E}", "\u{1680}x\u{205F}", "é ", " \u{1F600} ",
                       "\n\n", "x\r", "\u{85}y\u{85}", "  Bearer  ", "é\u{301} \u{2028}"]
        for sample in samples {
            #expect(sample.trimmingWhitespace() == sample.trimmingCharacters(in: .whitespaces), "\(Array(sample.unicodeScalars))")
            #expect(sample.trimmingWhitespaceAndNewlines() == sample.trimmingCharacters(in: .whitespacesAndNewlines),
                    "\(Array(sample.unicodeScalars))")
        }
    }

    @Test func customPredicate() {
        #expect("\"Debian GNU/Linux 12 (bookworm)\"".trimming(where: { $0 == "\"" || $0 == "'" })
            == "Debian GNU/Linux 12 (bookworm)")
        #expect("''".trimming(where: { $0 == "'" }) == "")
    }
}
