/// Exact arithmetic on (mantissa, power-of-ten exponent) pairs.
enum QuantityMath {
    /// `value` / 10^`power`, rounded away from zero when inexact.
    static func divideAwayFromZero(_ value: Int128, byPowerOfTen power: Int) -> Int128 {
        var v = value
        var inexact = false
        for _ in 0..<power {
            if v % 10 != 0 { inexact = true }
            v /= 10
            if v == 0 { break }
        }
        if inexact { v += value > 0 ? 1 : -1 }
        return v
    }

    /// The mantissa with trailing decimal zeros moved into the exponent; zero is (0, 0).
    static func normalized(_ mantissa: Int128, _ exponent: Int32) -> (Int128, Int32) {
        if mantissa == 0 { return (0, 0) }
        var m = mantissa
        var e = exponent
        while m % 10 == 0 {
            m /= 10
            e += 1
        }
        return (m, e)
    }

    /// Number of decimal digits of |m| (1 for 0).
    static func digitCount(_ m: Int128) -> Int32 {
        var v = m.magnitude
        var n: Int32 = 1
        while v >= 10 {
            v /= 10
            n += 1
        }
        return n
    }

    /// Both mantissas at a common exponent; saturates in the (unreachable for real resources) overflow case.
    static func align(_ a: Quantity, _ b: Quantity) -> (Int128, Int128, Int32) {
        if a.isZero { return (0, b.mantissa, b.exponent) }
        if b.isZero { return (a.mantissa, 0, a.exponent) }
        let e = min(a.exponent, b.exponent)
        return (scaleUp(a.mantissa, by: a.exponent - e), scaleUp(b.mantissa, by: b.exponent - e), e)
    }

    static func scaleUp(_ m: Int128, by power: Int32) -> Int128 {
        var v = m
        for _ in 0..<Int(power) {
            let (p, overflow) = v.multipliedReportingOverflow(by: 10)
            if overflow { return m > 0 ? Int128.max : Int128.min }
            v = p
        }
        return v
    }

    /// -1, 0 or 1 as `a` is less than, equal to or greater than `b`.
    static func compare(_ a: Quantity, _ b: Quantity) -> Int {
        if a.sign != b.sign { return a.sign < b.sign ? -1 : 1 }
        if a.sign == 0 { return 0 }
        let (am, ae) = normalized(a.mantissa, a.exponent)
        let (bm, be) = normalized(b.mantissa, b.exponent)
        // Compare orders of magnitude first so that aligning can never overflow.
        let aOrder = digitCount(am) + ae
        let bOrder = digitCount(bm) + be
        var magnitudeOrder = 0
        if aOrder != bOrder {
            magnitudeOrder = aOrder < bOrder ? -1 : 1
        } else {
            let e = min(ae, be)
            let x = scaleUp(am, by: ae - e).magnitude
            let y = scaleUp(bm, by: be - e).magnitude
            magnitudeOrder = x == y ? 0 : (x < y ? -1 : 1)
        }
        return a.sign > 0 ? magnitudeOrder : -magnitudeOrder
    }
}
