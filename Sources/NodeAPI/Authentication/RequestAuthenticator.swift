import EventHTTP
import SystemSupport

/// Decides who a request comes from: a client certificate verified against the client CA, or a bearer token.
///
/// The order follows the Kubernetes API server: a verified client certificate wins, then the `Authorization:
/// Bearer` header. A request that presents a token that is not in the file is refused outright rather than
/// treated as anonymous, so a typo in a token never silently downgrades to the anonymous paths.
public struct RequestAuthenticator: Sendable {
    /// The outcome of authenticating one request.
    public enum Result: Sendable, Equatable {
        /// The request carries valid credentials.
        case authenticated(UserInfo)
        /// The request carries no credentials at all.
        case anonymous
        /// The request carries credentials that are not valid; the reason is for the log, not the client.
        case rejected(String)
    }

    private let tokens: StaticTokenFile?

    /// Creates an authenticator; `tokens` is nil when no token file is configured.
    public init(tokens: StaticTokenFile?) {
        self.tokens = tokens
    }

    /// Authenticates `request`.
    public func authenticate(_ request: HTTPRequest) -> Result {
        if let certificate = request.clientCertificate {
            guard !certificate.commonName.isEmpty else {
                return .rejected("client certificate has an empty common name")
            }
            return .authenticated(UserInfo(name: certificate.commonName, groups: certificate.organizations))
        }
        guard let header = request.headers["Authorization"] else { return .anonymous }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            return .rejected("unsupported Authorization scheme")
        }
        let token = parts[1].trimmingWhitespace()
        guard let user = tokens?.user(forToken: token) else {
            return .rejected("invalid bearer token")
        }
        return .authenticated(user)
    }
}
