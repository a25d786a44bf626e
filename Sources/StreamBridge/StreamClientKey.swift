import CLibevent
import EventHTTP

/// Who a stream belongs to, for the per-client bound: the certificate's user, else a digest of the bearer token
/// (the token itself is never kept), else the peer's address.
public enum StreamClientKey {
    /// The key for `request`.
    public static func key(for request: HTTPRequest) -> String {
        if let certificate = request.clientCertificate { return "user:" + certificate.commonName }
        if let authorization = request.headers["Authorization"], authorization.lowercased().hasPrefix("bearer ") {
            let token = Array(authorization.utf8.dropFirst(7))
            var out = [CChar](repeating: 0, count: 32)
            let n = token.withUnsafeBufferPointer { swiftlet_sha1_base64($0.baseAddress, $0.count, &out) }
            return "token:" + String(decoding: out[0..<Int(max(n, 0))].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        let host = request.remoteAddress.split(separator: ":").dropLast().joined(separator: ":")
        return "address:" + (host.isEmpty ? request.remoteAddress : host)
    }
}
