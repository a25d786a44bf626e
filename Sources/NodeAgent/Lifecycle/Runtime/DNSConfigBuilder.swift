import CRI
import FoundationEssentials
import KubeTypes

/// The sandbox DNS config from `dnsPolicy` and `dnsConfig`, as kubelet's `GetPodDNS` builds it on a node without
/// cluster DNS: `ClusterFirst` and `ClusterFirstWithHostNet` fall back to the node's resolv.conf (`Default`).
enum DNSConfigBuilder {
    /// The nameservers, searches and options of a resolv.conf text.
    static func parseResolvConf(_ text: String) -> (servers: [String], searches: [String], options: [String]) {
        var servers: [String] = []
        var searches: [String] = []
        var options: [String] = []
        for rawLine in text.split(separator: "\n") {
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard let keyword = fields.first else { continue }
            switch keyword {
            case "nameserver": if fields.count > 1 { servers.append(fields[1]) }
            case "search", "domain": searches = Array(fields.dropFirst())
            case "options": options.append(contentsOf: fields.dropFirst())
            default: continue
            }
        }
        return (servers, searches, options)
    }

    static func build(_ spec: PodSpec, resolvConf: String?) -> Runtime_V1_DNSConfig {
        var config = Runtime_V1_DNSConfig()
        let policy = spec.dnsPolicy ?? .clusterFirst
        if policy != .none, let resolvConf {
            let parsed = parseResolvConf(resolvConf)
            config.servers = parsed.servers
            config.searches = parsed.searches
            config.options = parsed.options
        }
        if let extra = spec.dnsConfig {
            for server in extra.nameservers ?? [] where !config.servers.contains(server) {
                config.servers.append(server)
            }
            for search in extra.searches ?? [] where !config.searches.contains(search) {
                config.searches.append(search)
            }
            for option in extra.options ?? [] {
                guard let name = option.name else { continue }
                let text = option.value.map { "\(name):\($0)" } ?? name
                // A pod option replaces the node's option of the same name.
                config.options.removeAll { $0 == name || $0.hasPrefix(name + ":") }
                config.options.append(text)
            }
        }
        return config
    }
}
