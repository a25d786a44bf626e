/// Writes quantities in apimachinery's canonical form.
///
/// Binary quantities of at least 1024 that are whole numbers are written with the largest binary suffix that
/// divides them exactly (`1024Mi` → `1Gi`, `1000Mi` stays `1000Mi`); everything else is written as the shortest
/// integer mantissa with an exponent that is a multiple of three (`0.5` → `500m`, `1.5G` → `1500M`).
enum QuantityFormatter {
    private static let decimalSuffixes: [Int32: String] = [
        -9: "n", -6: "u", -3: "m", 0: "", 3: "k", 6: "M", 9: "G", 12: "T", 15: "P", 18: "E",
    ]
    private static let binarySuffixes = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"]

    static func canonical(_ q: Quantity) -> String {
        if q.isZero { return "0" }
        var format = q.format
        if format == .binarySI {
            let (m, e) = QuantityMath.normalized(q.mantissa, q.exponent)
            let small = q > Quantity(mantissa: -1024) && q < Quantity(mantissa: 1024)
            if small || e < 0 {
                format = .decimalSI
            } else {
                return binary(QuantityMath.scaleUp(m, by: e))
            }
        }
        var (m, e) = QuantityMath.normalized(q.mantissa, q.exponent)
        switch e % 3 {
        case 1, -2:
            m *= 10
            e -= 1
        case 2, -1:
            m *= 100
            e -= 2
        default:
            break
        }
        if format == .decimalSI, let suffix = decimalSuffixes[e] {
            return String(m) + suffix
        }
        // Exponents outside the SI table (beyond `E`) are written in exponent form, which keeps the value exact.
        return e == 0 ? String(m) : String(m) + "e" + String(e)
    }

    private static func binary(_ value: Int128) -> String {
        var m = value
        var power = 0
        while power < binarySuffixes.count - 1, m % 1024 == 0 {
            m /= 1024
            power += 1
        }
        return String(m) + binarySuffixes[power]
    }
}
