/// A Kubernetes resource quantity (`resource.Quantity`): `100m`, `0.5`, `128Mi`, `1G`, `1e3`.
///
/// The value is exact: a 128-bit mantissa times a power of ten, never a floating-point number, because
/// admission sums requests and compares them with allocatable capacity, and rounding would let pods through
/// (or keep them out) wrongly. Parsing follows apimachinery's rules, including rounding anything finer than a
/// nano-unit up to `1n` and capping binary quantities at 2^63-1. Serialisation produces apimachinery's
/// canonical form (`0.5` → `500m`, `1024Mi` → `1Gi`, `1000Mi` stays `1000Mi`).
///
/// Equality, hashing and ordering compare values, not spellings: `1Gi == 1024Mi`.
public struct Quantity: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Value = `mantissa` × 10^`exponent`.
    private(set) var mantissa: Int128
    private(set) var exponent: Int32
    /// The suffix family used when writing the value back.
    public var format: QuantityFormat

    /// A quantity of `mantissa` × 10^`exponent`, written in `format`.
    public init(mantissa: Int64, exponent: Int32 = 0, format: QuantityFormat = .decimalSI) {
        self.init(exactMantissa: Int128(mantissa), exponent: exponent, format: format)
    }

    init(exactMantissa: Int128, exponent: Int32, format: QuantityFormat) {
        self.mantissa = exactMantissa
        self.exponent = exactMantissa == 0 ? 0 : exponent
        self.format = format
    }

    /// A quantity of `milli` thousandths, e.g. `Quantity(milli: 250)` is `250m`.
    public init(milli: Int64) {
        self.init(mantissa: milli, exponent: -3, format: .decimalSI)
    }

    /// Zero, written `0`.
    public static let zero = Quantity(mantissa: 0)

    /// Parses Kubernetes quantity syntax; throws `QuantityError` with apimachinery's message.
    public init(parsing text: String) throws(QuantityError) {
        self = try QuantityParser.parse(text)
    }

    /// Whether the value is zero.
    public var isZero: Bool { mantissa == 0 }

    /// -1, 0 or 1.
    public var sign: Int { mantissa == 0 ? 0 : (mantissa < 0 ? -1 : 1) }

    /// The value in whole units, rounded away from zero (`1500m` → 2), clamped to the Int64 range.
    public var value: Int64 { scaledValue(scale: 0) }

    /// The value in thousandths, rounded away from zero (`1n` → 1), clamped to the Int64 range.
    public var milliValue: Int64 { scaledValue(scale: -3) }

    /// The value in units of 10^`scale`, rounded away from zero, clamped to the Int64 range.
    public func scaledValue(scale: Int32) -> Int64 {
        if mantissa == 0 { return 0 }
        var m = mantissa
        if exponent >= scale {
            for _ in 0..<Int(exponent - scale) {
                let (product, overflow) = m.multipliedReportingOverflow(by: 10)
                if overflow || product > Int128(Int64.max) || product < Int128(Int64.min) {
                    return m > 0 ? Int64.max : Int64.min
                }
                m = product
            }
        } else {
            m = QuantityMath.divideAwayFromZero(m, byPowerOfTen: Int(scale - exponent))
        }
        if m > Int128(Int64.max) { return Int64.max }
        if m < Int128(Int64.min) { return Int64.min }
        return Int64(m)
    }

    /// The value as a `Double`, for display and ratios only (never for admission decisions).
    public var approximateDouble: Double {
        var d = Double(mantissa)
        if exponent > 0 {
            for _ in 0..<Int(exponent) { d *= 10 }
        } else if exponent < 0 {
            for _ in 0..<Int(-exponent) { d /= 10 }
        }
        return d
    }

    /// The canonical string, as apimachinery serialises this quantity.
    public var description: String { QuantityFormatter.canonical(self) }

    /// The sum, written in this quantity's format (or `other`'s when this one is zero), as apimachinery's `Add`.
    public func adding(_ other: Quantity) -> Quantity {
        let (a, b, e) = QuantityMath.align(self, other)
        let (sum, overflow) = a.addingReportingOverflow(b)
        let result = overflow ? (a > 0 ? Int128.max : Int128.min) : sum
        return Quantity(exactMantissa: result, exponent: e, format: isZero ? other.format : format)
    }

    /// The difference, written in this quantity's format.
    public func subtracting(_ other: Quantity) -> Quantity {
        adding(other.negated())
    }

    /// The value with the opposite sign.
    public func negated() -> Quantity {
        Quantity(exactMantissa: 0 - mantissa, exponent: exponent, format: format)
    }

    /// Sum of two quantities.
    public static func + (lhs: Quantity, rhs: Quantity) -> Quantity { lhs.adding(rhs) }

    /// Difference of two quantities.
    public static func - (lhs: Quantity, rhs: Quantity) -> Quantity { lhs.subtracting(rhs) }

    public static func == (lhs: Quantity, rhs: Quantity) -> Bool {
        QuantityMath.compare(lhs, rhs) == 0
    }

    public static func < (lhs: Quantity, rhs: Quantity) -> Bool {
        QuantityMath.compare(lhs, rhs) < 0
    }

    public func hash(into hasher: inout Hasher) {
        let (m, e) = QuantityMath.normalized(mantissa, exponent)
        hasher.combine(m)
        hasher.combine(e)
    }
}

extension Quantity: Codable {
    /// Decodes a quantity string; a JSON number (`cpu: 2`, `0.5`) is accepted too, as apimachinery accepts it.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text: String
        if let s = try? container.decode(String.self) {
            text = s
        } else if let i = try? container.decode(Int64.self) {
            text = String(i)
        } else if let d = try? container.decode(Double.self), d.isFinite {
            text = String(d)
        } else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "a quantity must be a string such as \"100m\" or \"128Mi\"")
        }
        do {
            self = try QuantityParser.parse(text.trimmingSpaces())
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\"\(text)\": \(error)")
        }
    }

    /// Encodes the canonical string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension String {
    /// The string without leading and trailing ASCII whitespace (apimachinery trims quantities before parsing).
    func trimmingSpaces() -> String {
        let scalars = unicodeScalars
        let isSpace: (Unicode.Scalar) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = scalars.firstIndex(where: { !isSpace($0) }),
              let last = scalars.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(scalars[first...last])
    }
}
