/// Kubernetes' `$(VAR)` expansion for command, args and env values.
///
/// `$(NAME)` becomes the value of NAME when `lookup` knows it and stays as written otherwise; `$$` is an escaped
/// `$`; any other `$x`, and an unclosed `$(`, are kept literally.
enum EnvExpansion {
    /// Expands `input` with `lookup`.
    static func expand(_ input: String, _ lookup: (String) -> String?) -> String {
        let bytes = Array(input.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "$"), index + 1 < bytes.count else {
                output.append(byte)
                index += 1
                continue
            }
            let nextByte = bytes[index + 1]
            if nextByte == UInt8(ascii: "$") {
                output.append(UInt8(ascii: "$"))
                index += 2
            } else if nextByte == UInt8(ascii: "("),
                let close = bytes[(index + 2)...].firstIndex(of: UInt8(ascii: ")"))
            {
                let name = String(decoding: bytes[(index + 2)..<close], as: UTF8.self)
                if let value = lookup(name) {
                    output.append(contentsOf: Array(value.utf8))
                } else {
                    output.append(contentsOf: bytes[index...close])
                }
                index = close + 1
            } else {
                // `$(` without `)` and `$x` are literal; the next byte is looked at again on its own.
                output.append(byte)
                output.append(nextByte)
                index += 2
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
