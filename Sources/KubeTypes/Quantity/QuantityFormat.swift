/// How a `Quantity` is written back: the family of suffix it was given with, as apimachinery records it.
public enum QuantityFormat: String, Sendable, Hashable {
    /// Powers of ten with SI suffixes: `n`, `u`, `m`, ``, `k`, `M`, `G`, `T`, `P`, `E`.
    case decimalSI = "DecimalSI"
    /// Powers of two with binary suffixes: `Ki`, `Mi`, `Gi`, `Ti`, `Pi`, `Ei`.
    case binarySI = "BinarySI"
    /// Scientific notation: `1e3`, `5E-3`.
    case decimalExponent = "DecimalExponent"
}
