/// Turns one stream's response frames into the unary call's outcome: the `:status` and content-type check,
/// the length-prefixed message across any number of DATA frames, and the status from the trailers (or from a
/// trailers-only response).
struct GRPCResponseAssembler: Sendable {
    /// What the stream's latest frame meant.
    enum Step: Equatable {
        /// More frames are needed.
        case more
        /// The call is over. `reset` is true when the stream is still open on the peer's side and must be reset
        /// (we stop reading a response that is too large, compressed or malformed).
        case finished(Result<[UInt8], GRPCCallError>, reset: Bool)
    }

    /// The largest message accepted.
    let maxMessageSize: Int
    private var sawHeaders = false
    private var prefix: [UInt8] = []
    private var expectedLength: Int?
    private var message: [UInt8] = []
    private var messages = 0

    init(maxMessageSize: Int) {
        self.maxMessageSize = maxMessageSize
    }

    /// A complete header block on the stream.
    mutating func headers(_ fields: [(name: String, value: String)], endStream: Bool) -> Step {
        if sawHeaders {
            guard endStream else { return fail(.internal, "the server sent a second header block that is not trailers") }
            return trailers(fields)
        }
        sawHeaders = true
        let status = fields.first { $0.name == ":status" }?.value ?? ""
        if status != "200" {
            let grpcStatus = fields.first { $0.name == "grpc-status" }?.value
            let code = grpcStatus.map(GRPCStatusCode.init(grpcStatus:)) ?? GRPCStatusCode(httpStatus: Int(status) ?? 0)
            let message = fields.first { $0.name == "grpc-message" }.map { GRPCHeaderValues.percentDecoded($0.value) }
            return .finished(
                .failure(GRPCCallError(code: code == .ok ? .unknown : code,
                                       message: message ?? "unexpected HTTP status \(status.isEmpty ? "(none)" : status)")),
                reset: !endStream)
        }
        if endStream {
            // Trailers-only: the status is in this one block.
            return trailers(fields)
        }
        let contentType = fields.first { $0.name == "content-type" }?.value ?? ""
        guard contentType.hasPrefix("application/grpc") else {
            return fail(.unknown, "unexpected content-type \"\(contentType)\"")
        }
        return .more
    }

    /// DATA on the stream (padding already removed).
    mutating func data(_ payload: [UInt8], endStream: Bool) -> Step {
        guard sawHeaders else { return fail(.internal, "DATA before response headers") }
        var index = 0
        while index < payload.count {
            guard let expected = expectedLength else {
                let take = min(5 - prefix.count, payload.count - index)
                prefix.append(contentsOf: payload[index..<index + take])
                index += take
                if prefix.count == 5, let failure = startMessage() { return failure }
                continue
            }
            let take = min(expected - message.count, payload.count - index)
            message.append(contentsOf: payload[index..<index + take])
            index += take
            if message.count == expected { finishMessage() }
        }
        if endStream {
            return .finished(.failure(GRPCCallError(code: .internal, message: "the server closed the stream without sending trailers")),
                             reset: false)
        }
        return .more
    }

    private mutating func startMessage() -> Step? {
        if prefix[0] != 0 {
            return fail(.internal, "the response message is compressed (flag \(prefix[0])), but no compression was negotiated")
        }
        let length = Int(prefix[1]) << 24 | Int(prefix[2]) << 16 | Int(prefix[3]) << 8 | Int(prefix[4])
        if length > maxMessageSize {
            return fail(.resourceExhausted,
                        "response message of \(length) bytes is larger than the limit of \(maxMessageSize) bytes")
        }
        if messages > 0 { return fail(.internal, "more than one response message in a unary call") }
        expectedLength = length
        message.reserveCapacity(length)
        // An empty message (every field at its default) has no bytes to wait for.
        if length == 0 { finishMessage() }
        return nil
    }

    private mutating func finishMessage() {
        messages += 1
        expectedLength = nil
        prefix.removeAll(keepingCapacity: true)
    }

    private mutating func trailers(_ fields: [(name: String, value: String)]) -> Step {
        guard let status = fields.first(where: { $0.name == "grpc-status" })?.value else {
            return .finished(.failure(GRPCCallError(code: .internal, message: "the response has no grpc-status")),
                             reset: false)
        }
        let code = GRPCStatusCode(grpcStatus: status)
        guard code == .ok else {
            let text = fields.first { $0.name == "grpc-message" }.map { GRPCHeaderValues.percentDecoded($0.value) }
            return .finished(.failure(GRPCCallError(code: code, message: text ?? "")), reset: false)
        }
        guard messages == 1, prefix.isEmpty, expectedLength == nil else {
            let what = messages == 0 ? "no response message" : "a truncated response message"
            return .finished(.failure(GRPCCallError(code: .internal, message: "status OK with \(what)")), reset: false)
        }
        return .finished(.success(message), reset: false)
    }

    private func fail(_ code: GRPCStatusCode, _ message: String) -> Step {
        .finished(.failure(GRPCCallError(code: code, message: message)), reset: true)
    }
}
