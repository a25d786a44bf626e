import Foundation
import StreamBridge
import Testing

/// Exec over the bridge against the real containerd, with a real WebSocket client.
@Suite struct ExecStreamTests {
    @Test func stdinEchoesThroughCatOverV4() async throws {
        try await StreamBed.with("exec-cat") { bed in
            let id = try await bed.sleeper()
            let outcome = try await bed.user(bed.execURL(id, ["cat"], stdin: true, stderr: false),
                                             steps: [StreamUser.send(0, "hello swiftlet\n"), StreamUser.wait(1, "hello swiftlet"),
                                                     StreamUser.close, StreamUser.readAll])
            #expect(outcome.status == 101, "\(outcome)")
            #expect(outcome.subprotocol == "v4.channel.k8s.io")
            #expect(outcome.text(1) == "hello swiftlet\n", "\(outcome)")
            #expect(outcome.error == nil, "\(outcome)")
        }
    }

    @Test func exitCodeArrivesOnTheStatusChannel() async throws {
        try await StreamBed.with("exec-exit") { bed in
            let id = try await bed.sleeper()
            let outcome = try await bed.user(bed.execURL(id, ["sh", "-c", "echo out; echo err >&2; exit 7"]),
                                             steps: [StreamUser.readAll])
            #expect(outcome.text(1) == "out\n", "\(outcome)")
            #expect(outcome.text(2) == "err\n", "\(outcome)")
            let status = try #require(try JSONSerialization.jsonObject(with: Data(outcome.text(3).utf8)) as? [String: Any])
            #expect(status["status"] as? String == "Failure")
            #expect(status["reason"] as? String == "NonZeroExitCode")
            let causes = (status["details"] as? [String: Any])?["causes"] as? [[String: Any]]
            #expect(causes?.first?["reason"] as? String == "ExitCode")
            #expect(causes?.first?["message"] as? String == "7")
            #expect(outcome.closed && outcome.closeCode == 1000, "\(outcome)")
        }
    }
}

/// Terminals, resize, the v5 close signal and the other subprotocols.
@Suite struct ExecProtocolTests {
    @Test func ttyResizeReachesTheTerminalOverV5() async throws {
        try await StreamBed.with("exec-tty") { bed in
            let id = try await bed.sleeper()
            let outcome = try await bed.user(
                bed.execURL(id, ["sh"], stdin: true, stderr: false, tty: true), subprotocols: ["v5.channel.k8s.io"],
                steps: [StreamUser.send(4, #"{"Width":123,"Height":45}"#), StreamUser.sleep(0.3),
                        StreamUser.send(0, "stty size; exit 3\n"), StreamUser.readAll])
            #expect(outcome.subprotocol == "v5.channel.k8s.io")
            #expect(outcome.text(1).contains("45 123"), "\(outcome.text(1))")
            #expect(outcome.text(3).contains("\"message\":\"3\""), "\(outcome.text(3))")
            #expect(outcome.closed, "\(outcome)")
        }
    }

    @Test func v5CloseStdinEndsCatOnATerminal() async throws {
        try await StreamBed.with("exec-v5close") { bed in
            let id = try await bed.sleeper()
            let outcome = try await bed.user(
                bed.execURL(id, ["cat"], stdin: true, stderr: false, tty: true), subprotocols: ["v5.channel.k8s.io"],
                steps: [StreamUser.send(0, "abc\n"), StreamUser.wait(1, "abc"), StreamUser.raw("ff00"), StreamUser.readAll],
                timeout: 40)
            // cat saw end-of-file, exited 0, and the runtime ended the stream: a Success status, then Close. containerd
            // 1.6 has been seen to take about 10 s after the process exits to end a tty session, so the bound only
            // shows that the client's own 40 s limit did not end it.
            #expect(outcome.closed && outcome.closeCode == 1000, "\(outcome)")
            #expect(outcome.text(3).contains("\"status\":\"Success\""), "\(outcome.text(3))")
            #expect(outcome.elapsed < 30, "\(outcome.elapsed)")
        }
    }

    @Test func v5CloseStdinWithoutTerminalStopsStdin() async throws {
        // containerd 1.6 speaks v4 only, which cannot half-close: without a terminal Swiftlet drops stdin after the
        // close signal (the process sees end-of-file when the stream ends), and output keeps flowing meanwhile.
        try await StreamBed.with("exec-v5pipe") { bed in
            let id = try await bed.sleeper()
            let outcome = try await bed.user(
                bed.execURL(id, ["cat"], stdin: true, stderr: false), subprotocols: ["v5.channel.k8s.io"],
                steps: [StreamUser.send(0, "one\n"), StreamUser.wait(1, "one"), StreamUser.raw("ff00"),
                        StreamUser.send(0, "two\n"), StreamUser.sleep(1), StreamUser.close, StreamUser.readAll])
            #expect(outcome.text(1) == "one\n", "\(outcome)")
        }
    }

    @Test func base64SubprotocolCarriesTextFrames() async throws {
        try await StreamBed.with("exec-b64") { bed in
            let id = try await bed.sleeper()
            let outcome = try await bed.user(
                bed.execURL(id, ["sh", "-c", "cat; exit 4"], stdin: true), subprotocols: ["v4.base64.channel.k8s.io"],
                steps: [StreamUser.send(0, "zz\u{1}\u{ff}\n"), StreamUser.wait(1, "zz"), StreamUser.close, StreamUser.readAll])
            #expect(outcome.subprotocol == "v4.base64.channel.k8s.io")
            #expect(outcome.text(1) == "zz\u{1}\u{ff}\n", "\(outcome)")
        }
    }

    @Test func channelV1GetsErrorTextNotJSON() async throws {
        try await StreamBed.with("exec-v1") { bed in
            let id = try await bed.sleeper()
            let failing = try await bed.user(bed.execURL(id, ["sh", "-c", "exit 5"]), subprotocols: ["channel.k8s.io"],
                                             steps: [StreamUser.readAll])
            #expect(failing.subprotocol == "channel.k8s.io")
            let text = failing.text(3)
            #expect(!text.isEmpty && !text.hasPrefix("{") && text.contains("5"), "\(text)")
            let fine = try await bed.user(bed.execURL(id, ["true"]), subprotocols: ["channel.k8s.io"], steps: [StreamUser.readAll])
            #expect(fine.text(3).isEmpty, "\(fine)")
            #expect(fine.closed)
        }
    }

    @Test func refusedRequestsAreHTTPErrors() async throws {
        try await StreamBed.with("exec-bad") { bed in
            let id = try await bed.sleeper()
            let v6 = try await bed.user(bed.execURL(id, ["true"]), subprotocols: ["v6.channel.k8s.io"], steps: [])
            #expect(v6.status == 403, "\(v6)")
            let ttyNoStdin = try await bed.user(bed.execURL(id, ["true"], stderr: false, tty: true), steps: [])
            #expect(ttyNoStdin.status == 400, "\(ttyNoStdin)")
            let nothing = try await bed.user(bed.execURL(id, ["true"], stdout: false, stderr: false), steps: [])
            #expect(nothing.status == 400, "\(nothing)")
            let gone = try await bed.user(bed.execURL("no-such-container", ["true"]), steps: [])
            #expect(gone.status == 500, "\(gone)")
            #expect(bed.service.limiter.activeStreams == 0)
        }
    }
}
