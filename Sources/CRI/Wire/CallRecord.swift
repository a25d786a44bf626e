/// One call's entry in the `CallTable`.
struct CallRecord {
    /// What the caller is suspended on, if anything.
    enum Waiter {
        /// A slot or window; the caller then asks the table again.
        case signal(UnsafeContinuation<Void, Never>)
        /// The outcome.
        case response(UnsafeContinuation<Result<[UInt8], GRPCCallError>, Never>)
    }

    /// Monotonic nanoseconds after which the call fails with deadlineExceeded.
    var deadline: UInt64
    /// The HTTP/2 stream, 0 until HEADERS are sent.
    var streamID: UInt32 = 0
    /// A slot counted for this call before its stream opened (granted while it waited).
    var slotReserved = false
    /// Bytes of DATA this stream may still send.
    var sendWindow = 0
    /// The whole request (with END_STREAM) has been handed to the socket.
    var requestSent = false
    /// A signal that arrived while the caller was not parked.
    var signalled = false
    var waiter: Waiter?
    /// Set once, when the call ends.
    var outcome: Result<[UInt8], GRPCCallError>?
    var response: GRPCResponseAssembler
}
