import FoundationEssentials

/// The registry hosts dir (containerd's `certs.d` layout: `<dir>/<host[:port]>/hosts.toml`) that the CRI plugin's
/// `registry.config_path` points at.
///
/// It is regenerated on every start from two inputs: a directory in the same layout (`--registry-config-dir`),
/// copied as is, and a list of `HOST:PORT` registries to reach over plain HTTP (`--insecure-registry`), each of
/// which gets its own `hosts.toml` (replacing a copied one, because the flag is the more explicit of the two).
public struct RegistryHosts: Sendable, Hashable {
    /// Registries reached over plain HTTP, as `host[:port]`.
    public var insecureRegistries: [String]
    /// A `certs.d`-style directory to copy, if any.
    public var sourceDirectory: String?

    /// Creates the hosts config.
    /// - Throws: `ManagedRuntimeError` `.invalidConfiguration` for a registry that is not `host[:port]`.
    public init(insecureRegistries: [String], sourceDirectory: String?) throws {
        for registry in insecureRegistries { try Self.validate(registry) }
        self.insecureRegistries = insecureRegistries
        self.sourceDirectory = sourceDirectory
    }

    /// The `hosts.toml` for a registry reached over plain HTTP.
    public static func insecureHostsTOML(for registry: String) -> String {
        let url = "http://" + registry
        return """
            # Written by Swiftlet for --insecure-registry \(registry): plain HTTP, no TLS verification.
            server = \(TOMLText.quoted(url))

            [host.\(TOMLText.quoted(url))]
              capabilities = \(TOMLText.array(["pull", "resolve", "push"]))
              skip_verify = true

            """
    }

    /// Replaces `directory` with the generated hosts dir.
    /// - Throws: `ManagedRuntimeError` `.setupFailed` naming the path that failed.
    public func write(to directory: String) throws {
        let fm = FileManager.default
        do {
            if fm.fileExists(atPath: directory) { try fm.removeItem(atPath: directory) }
            try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw ManagedRuntimeError(.setupFailed, "cannot recreate the registry hosts dir \(directory): \(error)")
        }
        if let source = sourceDirectory {
            var isDirectory = false
            guard fm.fileExists(atPath: source, isDirectory: &isDirectory), isDirectory else {
                throw ManagedRuntimeError(
                    .invalidConfiguration, "the registry config dir \(source) does not exist or is not a directory")
            }
            do {
                for entry in try fm.contentsOfDirectory(atPath: source).sorted() {
                    try fm.copyItem(atPath: source + "/" + entry, toPath: directory + "/" + entry)
                }
            } catch {
                throw ManagedRuntimeError(.setupFailed, "cannot copy the registry config dir \(source): \(error)")
            }
        }
        for registry in insecureRegistries {
            let hostDirectory = directory + "/" + registry
            do {
                if fm.fileExists(atPath: hostDirectory) { try fm.removeItem(atPath: hostDirectory) }
                try fm.createDirectory(atPath: hostDirectory, withIntermediateDirectories: true)
                try Self.insecureHostsTOML(for: registry).write(
                    toFile: hostDirectory + "/hosts.toml", atomically: true, encoding: .utf8)
            } catch {
                throw ManagedRuntimeError(.setupFailed, "cannot write \(hostDirectory)/hosts.toml: \(error)")
            }
        }
    }

    /// Accepts `host`, `host:port`, `[v6]` and `[v6]:port`, where host is a DNS name or an IPv4 address.
    static func validate(_ registry: String) throws {
        func invalid(_ why: String) -> ManagedRuntimeError {
            ManagedRuntimeError(.invalidConfiguration, "insecure registry \"\(registry)\" \(why); expected HOST:PORT")
        }
        if registry.contains("://") { throw invalid("must not have a scheme") }
        if registry.contains("/") { throw invalid("must not have a path") }
        var host = Substring(registry)
        var port: Substring?
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { throw invalid("has an unclosed '['") }
            let rest = host[host.index(after: close)...]
            if !rest.isEmpty {
                guard rest.hasPrefix(":") else { throw invalid("has text after ']'") }
                port = rest.dropFirst()
            }
            host = host[host.index(after: host.startIndex)..<close]
            guard !host.isEmpty, host.allSatisfy({ $0.isHexDigit || $0 == ":" }) else {
                throw invalid("has an invalid IPv6 address")
            }
        } else {
            let parts = host.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count <= 2 else { throw invalid("has more than one ':'") }
            host = parts[0]
            if parts.count == 2 { port = parts[1] }
            guard !host.isEmpty,
                host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") })
            else { throw invalid("has an invalid host name") }
        }
        if let port {
            guard let number = Int(port), (1...65535).contains(number) else { throw invalid("has an invalid port") }
        }
    }
}
