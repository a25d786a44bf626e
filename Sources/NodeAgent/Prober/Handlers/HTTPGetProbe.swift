import KubeTypes

/// An httpGet probe: kubelet's request (default User-Agent and Accept, the spec's headers), 200–399 success,
/// 301/302/303/307/308 followed only while they stay on the same host (a tenth redirect fails the probe), a
/// redirect elsewhere ends in success with a warning, and at most 10 KiB of body read.
struct HTTPGetProbe: ProbeHandler {
    var action: HTTPGetAction

    static let maxRedirects = 10

    func run(_ target: ProbeTarget, timeout: Duration) async -> ProbeOutcome {
        var request: HTTPProbeRequest
        do { request = try HTTPRequestBuilder.request(for: action, target: target) } catch { return .error(error.message) }
        let deadline = ContinuousClock.now + timeout
        let originalHost = request.host
        var redirects = 0
        while true {
            let response: HTTPProbeResponse
            do {
                response = try await target.http.get(request, timeout: max(.milliseconds(1), deadline - ContinuousClock.now))
            } catch {
                return Self.failure(request, error)
            }
            switch Self.redirect(after: response, of: request, originalHost: originalHost, redirects: redirects) {
            case .follow(let next)?:
                redirects += 1
                request = next
            case .refuse(let outcome)?:
                return outcome
            case nil:
                return Self.outcome(response)
            }
        }
    }

    /// What a redirect asks of the probe: to send the next request, or to fail.
    enum RedirectStep {
        case follow(HTTPProbeRequest)
        case refuse(ProbeOutcome)
    }

    /// The statuses Go's client follows; any other 3xx is a final response.
    static let followedStatuses: Set<Int> = [301, 302, 303, 307, 308]

    /// What a response does to the probe, as kubelet's redirect checker decides it: nil when the response is the
    /// final one (not a followed status, no usable Location, or another host, whose redirect ends in a warning);
    /// a failure where Go's client would send its 11th request (`len(via) >= 10`); otherwise the next request.
    static func redirect(
        after response: HTTPProbeResponse, of request: HTTPProbeRequest, originalHost: String, redirects: Int
    ) -> RedirectStep? {
        guard followedStatuses.contains(response.status), let location = response.location,
            let next = HTTPRequestBuilder.redirect(from: request, location: location), next.host == originalHost
        else { return nil }
        guard redirects + 1 < maxRedirects else {
            return .refuse(.failure("Get \"\(location)\": stopped after \(maxRedirects) redirects"))
        }
        return .follow(next)
    }

    /// kubelet's failure for a request that got no response.
    static func failure(_ request: HTTPProbeRequest, _ error: HTTPProbeError) -> ProbeOutcome {
        .failure("Get \"\(request.url)\": \(error)")
    }

    /// kubelet's verdict on the final response.
    static func outcome(_ response: HTTPProbeResponse) -> ProbeOutcome {
        switch response.status {
        case 200..<300: return .success(response.bodyText)
        case 300..<400: return .warning("Probe terminated redirects, Response body: \(response.bodyText)")
        default: return .failure("HTTP probe failed with statuscode: \(response.status)")
        }
    }
}

/// Builds the request of an httpGet action (probe or hook) and follows `Location` headers.
enum HTTPRequestBuilder {
    /// The Kubernetes minor version Swiftlet's API follows; kubelet puts its own in the User-Agent.
    static let kubernetesVersion = "1.33"

    static func request(for action: HTTPGetAction, target: ProbeTarget) throws(ProbeSetupError) -> HTTPProbeRequest {
        let port = try target.resolvePort(action.port)
        let scheme = (action.scheme?.rawValue ?? "HTTP").lowercased()
        let host = (action.host?.isEmpty == false ? action.host : nil) ?? target.host
        var path = action.path ?? "/"
        if !path.hasPrefix("/") { path = "/" + path }
        var headers = (action.httpHeaders ?? []).map { (name: $0.name, value: $0.value) }
        let given = Set(headers.map { $0.name.lowercased() })
        if !given.contains("user-agent") {
            headers.append((name: "User-Agent", value: "\(target.userAgentComponent)/\(kubernetesVersion)"))
        }
        if !given.contains("accept") { headers.append((name: "Accept", value: "*/*")) }
        return HTTPProbeRequest(scheme: scheme, host: host, port: port, path: path, headers: headers)
    }

    /// The request a redirect to `location` asks for: a path on the same server, or an absolute http(s) URL.
    static func redirect(from request: HTTPProbeRequest, location: String) -> HTTPProbeRequest? {
        var next = request
        if location.hasPrefix("/") && !location.hasPrefix("//") {
            next.path = location
            return next
        }
        let lower = location.lowercased()
        let scheme: String
        let rest: Substring
        if lower.hasPrefix("http://") {
            scheme = "http"
            rest = location.dropFirst(7)
        } else if lower.hasPrefix("https://") {
            scheme = "https"
            rest = location.dropFirst(8)
        } else if location.hasPrefix("//") {
            scheme = request.scheme
            rest = location.dropFirst(2)
        } else {
            // A relative path: resolve against the current path's directory.
            let base = request.path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? "/"
            let directory = base.hasSuffix("/") ? base : String(base[..<(base.lastIndex(of: "/") ?? base.startIndex)]) + "/"
            next.path = directory + location
            return next
        }
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        var path = String(rest[authorityEnd...])
        if path.isEmpty || path.hasPrefix("?") { path = "/" + path }
        var host: String
        var port = scheme == "https" ? 443 : 80
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            host = String(authority[authority.index(after: authority.startIndex)..<close])
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":"), let value = Int(after.dropFirst()) { port = value }
        } else if let colon = authority.lastIndex(of: ":") {
            host = String(authority[..<colon])
            guard let value = Int(authority[authority.index(after: colon)...]) else { return nil }
            port = value
        } else {
            host = String(authority)
        }
        // A port the socket layer would truncate (70000 to 4464) is no redirect at all.
        if host.isEmpty || !(1...65535).contains(port) { return nil }
        host = host.lowercased()
        next.scheme = scheme
        next.host = host
        next.port = port
        next.path = path
        // The Host header follows the new target unless the spec set one.
        return next
    }
}
