import EventHTTP
import FoundationEssentials
import Glibc
import Logging
import NodeAPI
import SystemSupport

/// Turns the TLS and authentication settings into files and authenticators, generating what is missing.
///
/// Secure by default: with no certificates configured, a private CA and serving certificate are generated under
/// `<root-dir>/pki/`; with no authentication configured, an admin bearer token is generated in
/// `<root-dir>/admin.token`. Existing files are never overwritten, so a restart keeps the same credentials.
struct SecurityBootstrap {
    struct Result {
        var tls: TLSConfiguration?
        var tokens: StaticTokenFile?
        var notes: [String]
    }

    struct SettingsError: Error, CustomStringConvertible {
        var description: String
    }

    let settings: NodeSettings
    let rootDirectory: String
    let nodeName: String
    let logger: Logger

    func run() throws -> Result {
        var notes: [String] = []
        var clientCA = settings.clientCAFile
        var tls: TLSConfiguration?
        if settings.insecureHTTP == true {
            logger.warning("serving plain HTTP: credentials and pod specs cross the network unencrypted; use only for local development")
        } else {
            switch (settings.tlsCertFile, settings.tlsPrivateKeyFile) {
            case let (cert?, key?):
                tls = TLSConfiguration(certificateChainFile: cert, privateKeyFile: key, clientCAFile: clientCA)
            case (nil, nil):
                let pki = try PKIBootstrap.ensure(
                    directory: rootDirectory + "/pki",
                    hostnames: Array(Set([nodeName, ProcessInfo.processInfo.hostName, "localhost"])).sorted(),
                    ipAddresses: ["127.0.0.1", "::1"],
                    logger: logger
                )
                if clientCA == nil { clientCA = pki.caCertificate }
                tls = TLSConfiguration(certificateChainFile: pki.certificate, privateKeyFile: pki.privateKey, clientCAFile: clientCA)
                notes.append("\(pki.created ? "generated" : "using") CA \(pki.caCertificate) and serving certificate \(pki.certificate)")
            default:
                throw SettingsError(description: "--tls-cert-file and --tls-private-key-file must be given together")
            }
        }
        var tokens: StaticTokenFile?
        if let path = settings.tokenAuthFile {
            tokens = try StaticTokenFile(contentsOf: path)
            notes.append("loaded \(tokens?.count ?? 0) token(s) from \(path)")
        } else if settings.clientCAFile == nil {
            let path = rootDirectory + "/admin.token"
            let (token, created) = try AdminToken.ensure(at: path)
            tokens = StaticTokenFile(tokens: [token: UserInfo(name: "admin", uid: "admin", groups: [AuthorizationPolicy.mastersGroup])])
            notes.append("\(created ? "generated" : "using") admin bearer token in \(path)")
        }
        return Result(tls: tls, tokens: tokens, notes: notes)
    }
}

/// The generated admin bearer token: 32 random bytes, hex, in a 0600 file created exclusively.
enum AdminToken {
    struct WriteError: Error, CustomStringConvertible {
        var description: String
    }

    static func ensure(at path: String) throws -> (token: String, created: Bool) {
        if let existing = try? String(contentsOfFile: path, encoding: .utf8) {
            let token = existing.trimmingWhitespaceAndNewlines()
            guard !token.isEmpty else { throw WriteError(description: "\(path) exists but is empty; remove it to generate a new token") }
            return (token, false)
        }
        var generator = SystemRandomNumberGenerator()
        let token = (0..<32).map { _ in
            let byte = UInt8.random(in: 0...255, using: &generator)
            return (byte < 16 ? "0" : "") + String(byte, radix: 16)
        }.joined()
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw WriteError(description: "cannot create \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let bytes = Array((token + "\n").utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(fd) == 0 else {
            throw WriteError(description: "cannot write \(path): \(String(cString: strerror(errno)))")
        }
        return (token, true)
    }
}
