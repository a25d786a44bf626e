import EventHTTP
import KubeTypes
import Synchronization

/// httpGet and tcpSocket probes driven by the HTTP client's loop thread (`HTTPClient.repeating`): each round is
/// the loop's timer, the exchange's callbacks and the recorder, with no task, sleep or thread hop of its own. A
/// profile of 110 pods probed every 10 s put those hops and timers at about half of an httpGet probe's cost.
enum LoopProbeRounds {
    /// Starts the rounds of an httpGet or tcpSocket probe. Nil for other mechanisms, and for a probe that cannot be
    /// set up (an unknown named port), which the task-driven path reports as an error every period as kubelet does.
    static func start(
        context: ProbeWorker.Context, schedule: ProbeSchedule, firstDelay: Duration, recorder: ProbeRunRecorder
    ) -> RepeatingRequest? {
        let target = context.target
        let timeout = schedule.timeout
        if let action = context.probe.httpGet {
            guard let request = try? HTTPRequestBuilder.request(for: action, target: target) else { return nil }
            let round = RedirectChain(request)
            return target.http.client.repeating(
                .request(HTTPProbeClient.outgoing(request)), firstDelay: firstDelay, period: schedule.period,
                timeout: timeout, maxBodyBytes: HTTPProbeClient.maxBodyBytes
            ) { result in
                let (current, redirects) = round.position
                let outcome: ProbeOutcome
                switch result.result {
                case .success(let response?):
                    let response = HTTPProbeClient.response(response)
                    switch HTTPGetProbe.redirect(after: response, of: current, originalHost: request.host, redirects: redirects) {
                    case .follow(let next)?:
                        round.follow(next)
                        return recorder.isActive ? .follow(HTTPProbeClient.outgoing(next)) : .stop
                    case .refuse(let refusal)?:
                        outcome = refusal
                    case nil:
                        outcome = HTTPGetProbe.outcome(response)
                    }
                case .success(nil):
                    outcome = .error("the HTTP client answered a GET without a response")
                case .failure(let error):
                    outcome = HTTPGetProbe.failure(current, HTTPProbeClient.error(error, request: current, timeout: timeout))
                }
                round.restart()
                return recorder.record(outcome, duration: result.elapsed) ? .next : .stop
            }
        }
        if let action = context.probe.tcpSocket {
            guard let port = try? target.resolvePort(action.port) else { return nil }
            let host = (action.host?.isEmpty == false ? action.host : nil) ?? target.host
            return target.http.client.repeating(
                .connect(host: host, port: port), firstDelay: firstDelay, period: schedule.period, timeout: timeout,
                maxBodyBytes: 0
            ) { result in
                let outcome: ProbeOutcome
                switch result.result {
                case .success: outcome = .success()
                case .failure(let error):
                    outcome = .failure(HTTPProbeClient.message(error, address: HTTPProbeClient.address(host, port), timeout: timeout))
                }
                return recorder.record(outcome, duration: result.elapsed) ? .next : .stop
            }
        }
        return nil
    }
}

/// Where an httpGet round stands in its redirects: the request sent last and how many redirects led to it.
/// Rounds of one probe never overlap, so the lock is never contended; it only makes the state `Sendable`.
private final class RedirectChain: Sendable {
    private let first: HTTPProbeRequest
    private let state: Mutex<(request: HTTPProbeRequest, redirects: Int)>

    init(_ first: HTTPProbeRequest) {
        self.first = first
        state = Mutex((first, 0))
    }

    var position: (request: HTTPProbeRequest, redirects: Int) { state.withLock { $0 } }

    func follow(_ next: HTTPProbeRequest) { state.withLock { $0 = (next, $0.redirects + 1) } }

    func restart() { state.withLock { $0 = (first, 0) } }
}
