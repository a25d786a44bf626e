extension PodValidator {
    enum ProbeKind {
        case liveness, readiness, startup
    }

    mutating func validateProbe(_ probe: Probe?, kind: ProbeKind, grace: Int64?, path: ValidationPath) {
        guard let probe else { return }
        validateHandler(exec: probe.exec, httpGet: probe.httpGet, tcpSocket: probe.tcpSocket, grpc: probe.grpc,
                        sleep: nil, grace: grace, path: path)
        nonNegative(probe.initialDelaySeconds.map(Int64.init), path.child("initialDelaySeconds"))
        nonNegative(probe.timeoutSeconds.map(Int64.init), path.child("timeoutSeconds"))
        nonNegative(probe.periodSeconds.map(Int64.init), path.child("periodSeconds"))
        nonNegative(probe.successThreshold.map(Int64.init), path.child("successThreshold"))
        nonNegative(probe.failureThreshold.map(Int64.init), path.child("failureThreshold"))
        if let g = probe.terminationGracePeriodSeconds, g <= 0 {
            add(.invalid(path.child("terminationGracePeriodSeconds"), .int(g), "must be greater than 0"))
        }
        switch kind {
        case .liveness, .startup:
            let success = probe.successThreshold ?? 0
            if success != 1 {
                add(.invalid(path.child("successThreshold"), .int(Int64(success)), "must be 1"))
            }
        case .readiness:
            if let g = probe.terminationGracePeriodSeconds {
                add(.invalid(path.child("terminationGracePeriodSeconds"), .int(g), "must not be set for readinessProbes"))
            }
        }
    }

    mutating func validateLifecycle(_ lifecycle: Lifecycle, grace: Int64?, path: ValidationPath) {
        if let h = lifecycle.postStart {
            validateHandler(exec: h.exec, httpGet: h.httpGet, tcpSocket: h.tcpSocket, grpc: nil, sleep: h.sleep,
                            grace: grace, path: path.child("postStart"))
        }
        if let h = lifecycle.preStop {
            validateHandler(exec: h.exec, httpGet: h.httpGet, tcpSocket: h.tcpSocket, grpc: nil, sleep: h.sleep,
                            grace: grace, path: path.child("preStop"))
        }
    }

    /// Exactly one handler; each one's own fields valid.
    mutating func validateHandler(
        exec: ExecAction?, httpGet: HTTPGetAction?, tcpSocket: TCPSocketAction?, grpc: GRPCAction?,
        sleep: SleepAction?, grace: Int64?, path: ValidationPath
    ) {
        var count = 0
        func claim(_ name: String, _ v: inout PodValidator) -> Bool {
            if count > 0 {
                v.add(.forbidden(path.child(name), "may not specify more than 1 handler type"))
                return false
            }
            count += 1
            return true
        }
        if let exec, claim("exec", &self), (exec.command ?? []).isEmpty {
            add(.required(path.child("exec").child("command")))
        }
        if let httpGet, claim("httpGet", &self) {
            let p = path.child("httpGet")
            if (httpGet.path ?? "").isEmpty { add(.required(p.child("path"))) }
            validatePortNumberOrName(httpGet.port, path: p.child("port"))
            let scheme = httpGet.scheme?.rawValue ?? ""
            if scheme != "HTTP", scheme != "HTTPS" {
                add(.notSupported(p.child("scheme"), .string(scheme), supported: ["HTTP", "HTTPS"]))
            }
            for header in httpGet.httpHeaders ?? [] {
                addInvalid(p.child("httpHeaders"), header.name, NameRules.httpHeaderName(header.name))
            }
        }
        if let tcpSocket, claim("tcpSocket", &self) {
            validatePortNumberOrName(tcpSocket.port, path: path.child("tcpSocket").child("port"))
        }
        if let grpc, claim("grpc", &self) {
            for m in NameRules.portNumber(Int64(grpc.port)) {
                add(.invalid(path.child("grpc").child("port"), .int(Int64(grpc.port)), m))
            }
        }
        if let sleep, claim("sleep", &self), let grace, sleep.seconds < 0 || sleep.seconds > grace {
            add(.invalid(path.child("sleep"), .int(sleep.seconds),
                         "must be non-negative and less than terminationGracePeriodSeconds (\(grace))"))
        }
        if count == 0 { add(.required(path, "must specify a handler type")) }
    }

    mutating func validatePortNumberOrName(_ port: IntOrString, path: ValidationPath) {
        switch port {
        case let .int(n):
            for m in NameRules.portNumber(Int64(n)) { add(.invalid(path, .int(Int64(n)), m)) }
        case let .string(s):
            addInvalid(path, s, NameRules.portName(s))
        }
    }
}
