/// Parses quantity text with apimachinery's grammar: `[+-]digits[.digits][suffix]`, where the suffix is an SI
/// or binary suffix or an exponent `e<int>` / `E<int>`.
enum QuantityParser {
    private static let decimalSuffixes: [String: Int32] = [
        "n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18,
    ]
    private static let binarySuffixes: [String: Int32] = [
        "Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60,
    ]
    /// Characters that may begin a suffix, as apimachinery's scanner lists them.
    private static let suffixCharacters = Set("eEinumkKMGTP".utf8)
    /// The finest representable step is 1n; finer values round up to it (apimachinery's rule).
    private static let nanoExponent: Int32 = -9

    static func parse(_ text: String) throws(QuantityError) -> Quantity {
        let b = Array(text.utf8)
        guard !b.isEmpty else { throw .formatWrong }
        var i = 0
        var negative = false
        if b[0] == UInt8(ascii: "-") {
            negative = true
            i = 1
        } else if b[0] == UInt8(ascii: "+") {
            i = 1
        }
        func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
        while i < b.count, b[i] == UInt8(ascii: "0") { i += 1 }
        let numStart = i
        while i < b.count, isDigit(b[i]) { i += 1 }
        let num = b[numStart..<i]
        var denom = b[i..<i]
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            let denomStart = i
            while i < b.count, isDigit(b[i]) { i += 1 }
            denom = b[denomStart..<i]
        }
        let suffixStart = i
        while i < b.count, suffixCharacters.contains(b[i]) { i += 1 }
        if i < b.count, b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") { i += 1 }
        while i < b.count, isDigit(b[i]) { i += 1 }
        guard i == b.count else { throw .formatWrong }
        let suffix = String(decoding: b[suffixStart..<b.count], as: UTF8.self)

        let format: QuantityFormat
        var tenExponent: Int32 = 0
        var twoExponent: Int32 = 0
        if let e = decimalSuffixes[suffix] {
            format = .decimalSI
            tenExponent = e
        } else if let e = binarySuffixes[suffix] {
            format = .binarySI
            twoExponent = e
        } else if suffix.utf8.count > 1, suffix.utf8.first == UInt8(ascii: "e") || suffix.utf8.first == UInt8(ascii: "E"),
                  let e = Int32(suffix.dropFirst()) {
            format = .decimalExponent
            tenExponent = e
        } else {
            throw .suffix
        }

        // Mantissa from all significant digits; leading zeros of the fraction are harmless.
        var mantissa: Int128 = 0
        for c in num + denom {
            let (times10, o1) = mantissa.multipliedReportingOverflow(by: 10)
            let (plus, o2) = times10.addingReportingOverflow(Int128(c - 0x30))
            guard !o1, !o2 else { throw .numeric }
            mantissa = plus
        }
        var exponent = tenExponent - Int32(denom.count)
        if twoExponent > 0 {
            let (shifted, overflow) = mantissa.multipliedReportingOverflow(by: Int128(1) << twoExponent)
            guard !overflow else { throw .numeric }
            mantissa = shifted
        }
        if mantissa == 0 {
            return Quantity(exactMantissa: 0, exponent: 0, format: format)
        }
        if exponent < nanoExponent {
            // Round up (away from zero) to the nano-unit, so that a tiny request still reserves something.
            mantissa = QuantityMath.divideAwayFromZero(mantissa, byPowerOfTen: Int(nanoExponent - exponent))
            exponent = nanoExponent
        }
        var resultFormat = format
        if format == .binarySI {
            let value = Quantity(exactMantissa: mantissa, exponent: exponent, format: format)
            if value > Quantity(mantissa: Int64.max) {
                mantissa = Int128(Int64.max)
                exponent = 0
            } else if value < Quantity(mantissa: 1) {
                resultFormat = .decimalSI
            }
        }
        if negative { mantissa = 0 - mantissa }
        return Quantity(exactMantissa: mantissa, exponent: exponent, format: resultFormat)
    }
}
