/// The header block of a gRPC request, most of it encoded once per connection.
///
/// Only `:path` and `grpc-timeout` change between calls; the rest (`:method POST`, `:scheme http`,
/// `:authority`, `content-type: application/grpc`, `te: trailers`, `user-agent`) is encoded when the
/// connection is made. Pseudo-headers come first, as HTTP/2 requires.
struct GRPCRequestHead: Sendable {
    private let pseudoHeaders: [UInt8]
    private let regularHeaders: [UInt8]

    init(authority: String, userAgent: String) {
        var pseudo: [UInt8] = []
        HPACKLiteralEncoder.indexed(HPACKLiteralEncoder.StaticIndex.methodPOST, into: &pseudo)
        HPACKLiteralEncoder.indexed(HPACKLiteralEncoder.StaticIndex.schemeHTTP, into: &pseudo)
        HPACKLiteralEncoder.literal(nameIndex: HPACKLiteralEncoder.StaticIndex.authority, value: authority, into: &pseudo)
        var regular: [UInt8] = []
        HPACKLiteralEncoder.literal(
            nameIndex: HPACKLiteralEncoder.StaticIndex.contentType, value: "application/grpc", into: &regular)
        HPACKLiteralEncoder.literal(name: "te", value: "trailers", into: &regular)
        HPACKLiteralEncoder.literal(nameIndex: HPACKLiteralEncoder.StaticIndex.userAgent, value: userAgent, into: &regular)
        pseudoHeaders = pseudo
        regularHeaders = regular
    }

    /// The block for a call of `path` (e.g. `/runtime.v1.RuntimeService/Version`) with `timeout` nanoseconds
    /// left (nil: no `grpc-timeout`).
    func block(path: String, timeout: UInt64?) -> [UInt8] {
        var block = pseudoHeaders
        block.reserveCapacity(pseudoHeaders.count + regularHeaders.count + path.utf8.count + 32)
        HPACKLiteralEncoder.literal(nameIndex: HPACKLiteralEncoder.StaticIndex.path, value: path, into: &block)
        block.append(contentsOf: regularHeaders)
        if let timeout {
            HPACKLiteralEncoder.literal(name: "grpc-timeout", value: GRPCHeaderValues.timeout(nanoseconds: timeout),
                                        into: &block)
        }
        return block
    }
}
