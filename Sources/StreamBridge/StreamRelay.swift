import EventHTTP
import Logging

/// Relays one session between the user's WebSocket (served by EventHTTP) and the runtime's stream server.
///
/// Three tasks: runtime → user, user → runtime, and an idle watchdog. Whichever direction ends first closes the
/// other side, so a user who goes away closes the runtime's session (containerd then closes the process's stdin), and
/// a runtime that goes away (containerd restarting) ends the user's stream with an error on the status channel
/// instead of a hang.
struct StreamRelay: Sendable {
    /// What is being relayed.
    enum Kind: Sendable, Equatable {
        /// Exec or attach: channels 0–4, status on 3. `tty` decides how v5's close-stdin is carried out.
        case remoteCommand(tty: Bool)
        /// Port-forward with this many ports: data on 2i, errors on 2i+1.
        case portForward(ports: Int)
    }

    let kind: Kind
    let clientProtocol: ChannelProtocol
    let idleTimeout: Duration
    let logger: Logger

    /// The byte a terminal's line discipline turns into end-of-file (VEOF, Ctrl-D).
    static let endOfTransmission: UInt8 = 0x04

    func run(client: WebSocketConnection, upstream: WebSocketClient) async {
        let activity = StreamActivity()
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await relayDown(client: client, upstream: upstream, activity: activity) }
            group.addTask { await relayUp(client: client, upstream: upstream, activity: activity) }
            group.addTask { await watchIdle(client: client, upstream: upstream, activity: activity) }
            // The two directions end; then the watchdog is cancelled.
            _ = await group.next()
            _ = await group.next()
            group.cancelAll()
        }
    }

    /// Runtime → user.
    private func relayDown(client: WebSocketConnection, upstream: WebSocketClient, activity: StreamActivity) async {
        do {
            while let message = try await upstream.receive() {
                activity.touch()
                guard case .binary(let bytes) = message, let channel = bytes.first else { continue }
                let payload = Array(bytes.dropFirst())
                if case .remoteCommand = kind, channel == StreamStatus.channel, clientProtocol == .v1 {
                    if let text = StreamStatus.versionOneText(fromV4: payload) {
                        try await client.send(clientProtocol.encode(channel: channel, payload: text))
                    }
                    continue
                }
                try await client.send(clientProtocol.encode(channel: channel, payload: payload))
            }
            await client.close(code: 1000, reason: "")
        } catch let error as WebSocketClientError {
            logger.warning("runtime stream ended abnormally", metadata: ["error": "\(error)"])
            for frame in errorFrames(error.description) { try? await client.send(frame) }
            await client.close(code: 1011, reason: "runtime stream lost")
        } catch {
            // The user went away while we were sending: end the runtime side too.
            await upstream.close()
        }
    }

    /// User → runtime.
    private func relayUp(client: WebSocketConnection, upstream: WebSocketClient, activity: StreamActivity) async {
        var stdinClosed = false
        while let message = try? await client.receive() {
            activity.touch()
            guard let (channel, payload) = clientProtocol.decode(message) else { continue }
            if case .remoteCommand(let tty) = kind {
                if channel == ChannelProtocol.closeSignal {
                    guard clientProtocol == .v5, payload == [0], !stdinClosed else { continue }
                    stdinClosed = true
                    // v4 has no half-close and containerd 1.6 refuses v5. With a terminal, end-of-file is the
                    // line discipline's VEOF byte; without one the runtime cannot be told, so stdin just stops.
                    if tty { try? await upstream.send(.binary([0, Self.endOfTransmission])) }
                    logger.debug("client closed stdin", metadata: ["tty": "\(tty)"])
                    continue
                }
                if channel == 0 && stdinClosed { continue }
            }
            do {
                try await upstream.send(.binary([channel] + payload))
            } catch {
                break
            }
        }
        // The user closed or went away: end the runtime's session (bounded by the client's 2 s close wait).
        await upstream.close()
    }

    /// Ends the session after `idleTimeout` without traffic in either direction, as kubelet's
    /// `--streaming-connection-idle-timeout` does.
    private func watchIdle(client: WebSocketConnection, upstream: WebSocketClient, activity: StreamActivity) async {
        let tick = min(max(idleTimeout / 10, .milliseconds(20)), .seconds(5))
        while !Task.isCancelled {
            do { try await Task.sleep(for: tick) } catch { return }
            if activity.idleFor >= idleTimeout {
                logger.info("closing idle stream", metadata: ["idleTimeout": "\(idleTimeout)"])
                upstream.requestClose(code: 1000, reason: "idle timeout")
                await client.close(code: 1000, reason: "stream idle for \(idleTimeout)")
                return
            }
        }
    }

    /// What the user gets when the runtime side fails: a Status on the status channel (error text for version 1),
    /// or for port-forward the text on every port's error channel.
    func errorFrames(_ message: String) -> [WebSocketMessage] {
        switch kind {
        case .remoteCommand:
            let payload = clientProtocol == .v1 ? Array(message.utf8) : StreamStatus.failureJSON(message: message)
            return [clientProtocol.encode(channel: StreamStatus.channel, payload: payload)]
        case .portForward(let ports):
            return (0..<ports).map { clientProtocol.encode(channel: UInt8(truncatingIfNeeded: 2 * $0 + 1), payload: Array(message.utf8)) }
        }
    }
}
