import CLibevent
import FoundationEssentials
import Logging

/// Paths of a CA and serving certificate/key.
public struct PKIFiles: Sendable {
    /// CA certificate (PEM).
    public var caCertificate: String
    /// CA private key (PEM, 0600).
    public var caKey: String
    /// Serving certificate (PEM), signed by the CA.
    public var certificate: String
    /// Serving private key (PEM, 0600).
    public var privateKey: String
    /// True when this call generated the files.
    public var created: Bool

    /// Paths from their parts.
    public init(caCertificate: String, caKey: String, certificate: String, privateKey: String, created: Bool) {
        self.caCertificate = caCertificate
        self.caKey = caKey
        self.certificate = certificate
        self.privateKey = privateKey
        self.created = created
    }
}

/// Errors from certificate generation.
public struct PKIError: Error, Sendable, CustomStringConvertible {
    /// What failed.
    public var message: String
    /// Human-readable description.
    public var description: String { "PKI: \(message)" }
}

/// First-start certificates: a private CA (P-256, 10 years) and a serving certificate (1 year) it signs.
public enum PKIBootstrap {
    /// Ensures `directory` holds ca.crt, ca.key, server.crt and server.key. Existing files are never overwritten:
    /// if all four exist they are returned with created=false; if only some exist, this throws rather than guess.
    public static func ensure(directory: String, hostnames: [String], ipAddresses: [String],
                              logger: Logger) throws -> PKIFiles {
        let fm = FileManager.default
        let files = PKIFiles(caCertificate: directory + "/ca.crt", caKey: directory + "/ca.key",
                             certificate: directory + "/server.crt", privateKey: directory + "/server.key",
                             created: false)
        let all = [files.caCertificate, files.caKey, files.certificate, files.privateKey]
        let existing = all.filter { fm.fileExists(atPath: $0) }
        if existing.count == all.count { return files }
        if !existing.isEmpty {
            throw PKIError(message: "\(directory) holds only some of ca.crt, ca.key, server.crt, server.key "
                           + "(found \(existing)); refusing to overwrite. Remove them or supply all four.")
        }
        do {
            try fm.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                   attributes: [.posixPermissions: 0o700])
        } catch {
            throw PKIError(message: "cannot create \(directory): \(error)")
        }
        let host = hostnames.first ?? "localhost"
        try issue(kind: SWIFTLET_CERT_CA, ca: nil, commonName: "swiftlet-ca@\(host)", organizations: [],
                  subjectAltNames: nil, days: 3650, certificate: files.caCertificate, key: files.caKey)
        let sans = hostnames.map { "DNS:\($0)" } + ipAddresses.map { "IP:\($0)" }
        try issue(kind: SWIFTLET_CERT_SERVER, ca: (files.caCertificate, files.caKey), commonName: host,
                  organizations: [], subjectAltNames: sans.joined(separator: ","), days: 365,
                  certificate: files.certificate, key: files.privateKey)
        logger.notice("generated a private CA and serving certificate", metadata: [
            "ca": "\(files.caCertificate)", "certificate": "\(files.certificate)", "sans": "\(sans)"])
        var result = files
        result.created = true
        return result
    }

    /// Issues a client certificate (CN = user, O = groups) signed by the CA in `caDirectory` (ca.crt, ca.key).
    /// The output files must not exist yet; the key is written 0600.
    public static func issueClientCertificate(caDirectory: String, commonName: String, organizations: [String],
                                              outputCertificate: String, outputKey: String) throws {
        try issue(kind: SWIFTLET_CERT_CLIENT, ca: (caDirectory + "/ca.crt", caDirectory + "/ca.key"),
                  commonName: commonName, organizations: organizations, subjectAltNames: nil, days: 365,
                  certificate: outputCertificate, key: outputKey)
    }

    private static func issue(kind: swiftlet_cert_kind, ca: (String, String)?, commonName: String,
                              organizations: [String], subjectAltNames: String?, days: Int32,
                              certificate: String, key: String) throws {
        var orgs: [CChar] = []
        for o in organizations {
            orgs.append(contentsOf: o.utf8CString)
        }
        orgs.append(0)
        var err = [CChar](repeating: 0, count: 512)
        let rc = swiftlet_issue_certificate(Int32(kind.rawValue), ca?.0, ca?.1, commonName, orgs,
                                            Int32(organizations.count), subjectAltNames, days, certificate, key,
                                            &err, err.count)
        guard rc == 0 else {
            throw PKIError(message: "issuing certificate for \(commonName) → \(certificate): \(String(cBuffer: err))")
        }
    }
}
