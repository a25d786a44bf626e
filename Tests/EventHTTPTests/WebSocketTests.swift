@testable import EventHTTP
import Foundation
import Testing

private func wsRouter() -> Router {
    var router = Router()
    router.get("/ws") { _, _ in
        HTTPResponse(body: .webSocket(WebSocketUpgrade(subprotocols: ["v5.channel.k8s.io", "v4.channel.k8s.io"],
                                                       maxMessageBytes: 1024) { ws in
            while let message = try? await ws.receive() {
                if case .text(let t) = message, t == "bye" {
                    try? await ws.send(.text("subprotocol=\(ws.subprotocol ?? "none")"))
                    return
                }
                try? await ws.send(message)
            }
        }))
    }
    return router
}

private func send(_ opcode: Int, _ payload: [UInt8], fin: Bool = true, mask: Bool = true) -> [Any] {
    ["send", opcode, b64(payload), fin, mask]
}

private func frames(_ r: [String: Any]) -> [(opcode: Int, payload: [UInt8], masked: Bool)] {
    (r["frames"] as? [[String: Any]] ?? []).compactMap { f in
        guard let op = f["opcode"] as? Int, let p = f["payload"] as? String, let data = Data(base64Encoded: p) else { return nil }
        return (op, Array(data), f["masked"] as? Bool ?? true)
    }
}

private func closeCode(_ payload: [UInt8]) -> Int { payload.count >= 2 ? Int(payload[0]) << 8 | Int(payload[1]) : -1 }

@Suite("EventHTTP WebSocket")
struct WebSocketTests {
    @Test func handshakeEchoFragmentsPingAndClose() async throws {
        let s = try TestServer.start(router: wsRouter())
        let r = try await python([
            "cmd": "ws", "port": s.port, "tls": true, "ca": SharedPKI.files.caCertificate, "path": "/ws",
            "headers": ["Sec-WebSocket-Protocol": "v4.channel.k8s.io, v5.channel.k8s.io"],
            "steps": [
                send(1, Array("hello".utf8)), ["recv"],
                send(2, [0, 1, 2, 255]), ["recv"],
                send(1, Array("frag".utf8), fin: false), send(0, Array("ment".utf8), fin: false),
                send(9, Array("ping!".utf8)), send(0, Array("ed".utf8)), ["recv"], ["recv"],
                send(2, [UInt8](repeating: 7, count: 300)), ["recv"],
                send(8, [0x03, 0xE8]), ["recv"], ["eof"],
            ],
        ])
        let head = r["head"] as? String ?? ""
        #expect(head.hasPrefix("HTTP/1.1 101"), "\(r)")
        let key = r["key"] as? String ?? ""
        #expect(head.contains("Sec-WebSocket-Accept: \(WebSocketHandshake.acceptKey(for: key))"))
        #expect(head.contains("Sec-WebSocket-Protocol: v5.channel.k8s.io"))
        let f = frames(r)
        #expect(f.count == 6, "\(r)")
        guard f.count == 6 else { return }
        #expect(f[0].opcode == 1 && f[0].payload == Array("hello".utf8) && !f[0].masked)
        #expect(f[1].opcode == 2 && f[1].payload == [0, 1, 2, 255])
        #expect(f[2].opcode == 10 && f[2].payload == Array("ping!".utf8))
        #expect(f[3].opcode == 1 && f[3].payload == Array("fragmented".utf8))
        #expect(f[4].opcode == 2 && f[4].payload.count == 300)
        #expect(f[5].opcode == 8 && closeCode(f[5].payload) == 1000)
        #expect(r["eof"] as? Bool == true)
        await s.stop()
    }

    @Test func handlerReturnClosesWith1000() async throws {
        let s = try TestServer.start(tls: false, router: wsRouter())
        let r = try await python(["cmd": "ws", "port": s.port, "path": "/ws",
                                  "steps": [send(1, Array("bye".utf8)), ["recv"], ["recv"]]])
        let f = frames(r)
        #expect(f.count == 2, "\(r)")
        guard f.count == 2 else { return }
        #expect(f[0].payload == Array("subprotocol=none".utf8))
        #expect(f[1].opcode == 8 && closeCode(f[1].payload) == 1000)
        await s.stop()
    }

    @Test func unmaskedFrameCloses1002() async throws {
        let s = try TestServer.start(tls: false, router: wsRouter())
        let r = try await python(["cmd": "ws", "port": s.port, "path": "/ws",
                                  "steps": [send(1, Array("hi".utf8), mask: false), ["recv"], ["eof"]]])
        let f = frames(r)
        #expect(f.count == 1 && f.first?.opcode == 8 && closeCode(f.first?.payload ?? []) == 1002, "\(r)")
        #expect(r["eof"] as? Bool == true)
        await s.stop()
    }

    @Test func oversizedMessageCloses1009() async throws {
        let s = try TestServer.start(tls: false, router: wsRouter())
        let single = try await python(["cmd": "ws", "port": s.port, "path": "/ws",
                                       "steps": [send(2, [UInt8](repeating: 1, count: 2000)), ["recv"], ["eof"]]])
        #expect(frames(single).first.map { $0.opcode == 8 && closeCode($0.payload) == 1009 } == true, "\(single)")
        // The limit applies to the reassembled message too.
        let fragmented = try await python(["cmd": "ws", "port": s.port, "path": "/ws", "steps": [
            send(2, [UInt8](repeating: 1, count: 600), fin: false), send(0, [UInt8](repeating: 1, count: 600)), ["recv"]]])
        #expect(frames(fragmented).first.map { $0.opcode == 8 && closeCode($0.payload) == 1009 } == true, "\(fragmented)")
        await s.stop()
    }

    @Test func badHandshakesAreRefused() async throws {
        let s = try TestServer.start(tls: false, router: wsRouter())
        let cases: [([String: Any], Int, String)] = [
            (["drop": ["Sec-WebSocket-Key"]], 400, "BadRequest"),
            (["key": "short"], 400, "BadRequest"),
            (["headers": ["Sec-WebSocket-Version": "8"]], 426, "BadRequest"),
            (["headers": ["Sec-WebSocket-Protocol": "nope.k8s.io"]], 403, "Forbidden"),
            (["drop": ["Upgrade"]], 400, "BadRequest"),
        ]
        for (extra, status, reason) in cases {
            var args: [String: Any] = ["cmd": "ws", "port": s.port, "path": "/ws", "steps": []]
            args.merge(extra) { _, b in b }
            let r = try await python(args)
            let head = r["head"] as? String ?? ""
            #expect(head.hasPrefix("HTTP/1.1 \(status)"), "\(extra): \(head)")
            let body = statusObject(r["body"] as? String ?? "")
            #expect(body?["reason"] as? String == reason, "\(extra): \(r)")
        }
        await s.stop()
    }
}
