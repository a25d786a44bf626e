import NIOCore
import NIOHPACK

/// Decodes the peer's header blocks (HPACK with its dynamic table and Huffman coding) with NIOHPACK.
///
/// Owned by the connection's reader thread: HPACK decoding state must follow the order the blocks arrive in.
struct HeaderBlockDecoder {
    /// NIOHPACK's default list limit is 16 KiB; a long `grpc-message` or `grpc-status-details-bin` may exceed it,
    /// and a decoding failure costs the whole connection, so the limit is the reader's own header-block bound.
    private var decoder: HPACKDecoder

    /// A decoder accepting decoded header lists up to `maxHeaderListSize` bytes.
    init(maxHeaderListSize: Int = HTTP2Connection.Inbound.maxHeaderBlock) {
        decoder = HPACKDecoder(allocator: ByteBufferAllocator(), maxDynamicTableSize: HPACKDecoder.maxDynamicTableSize,
                               maxHeaderListSize: maxHeaderListSize)
    }

    /// The name-value pairs of one complete header block.
    /// - Throws: a COMPRESSION_ERROR connection error: the decoder state is lost, so the connection is too
    ///   (RFC 9113 §4.3).
    mutating func decode(_ block: [UInt8]) throws(HTTP2ConnectionError) -> [(name: String, value: String)] {
        var buffer = ByteBuffer(bytes: block)
        do {
            let headers = try decoder.decodeHeaders(from: &buffer)
            return headers.map { (name: $0.name, value: $0.value) }
        } catch {
            throw HTTP2ConnectionError(code: .compressionError, reason: "cannot decode a header block: \(error)")
        }
    }
}
