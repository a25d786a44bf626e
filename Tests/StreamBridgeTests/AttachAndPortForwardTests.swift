import CRI
import Foundation
import StreamBridge
import Testing

/// Attach to a container with stdin, and port-forward into a pod's network namespace.
@Suite struct AttachAndPortForwardTests {
    @Test func attachRelaysStdinToTheMainProcess() async throws {
        try await StreamBed.with("attach") { bed in
            let sandbox = try await bed.startSandbox("attach")
            // The main process echoes each line with a prefix, so the output proves it came from this container.
            let id = try await bed.startContainer(in: sandbox, name: "main",
                                                  command: ["sh", "-c", "while read line; do echo \"got:$line\"; done"],
                                                  stdin: true)
            let outcome = try await bed.user(bed.url("/attach/\(id)?stdin=true&stdout=true&stderr=true"),
                                             steps: [StreamUser.send(0, "ping\n"), StreamUser.wait(1, "got:ping"),
                                                     StreamUser.close, StreamUser.readAll])
            #expect(outcome.status == 101, "\(outcome)")
            #expect(outcome.text(1).contains("got:ping"), "\(outcome)")
        }
    }

    @Test func portForwardFetchesAFileFromBusyboxHttpd() async throws {
        try await StreamBed.with("pf") { bed in
            let sandbox = try await bed.startSandbox("pf")
            _ = try await bed.startContainer(in: sandbox, name: "web", command: [
                "sh", "-c", "mkdir -p /www && echo swiftlet-port-forward-ok > /www/hello.txt && exec httpd -f -p 8080 -h /www",
            ])
            var outcome: StreamUser.Outcome?
            // httpd needs a moment to listen; a refused connection shows on the error channel, so retry briefly.
            for _ in 0..<20 {
                let attempt = try await bed.user(
                    bed.url("/portForward/\(sandbox.id)?ports=8080"),
                    steps: [StreamUser.send(0, "GET /hello.txt HTTP/1.0\r\nHost: x\r\n\r\n"),
                            StreamUser.wait(0, "swiftlet-port-forward-ok"), StreamUser.close, StreamUser.readAll],
                    timeout: 10)
                outcome = attempt
                if attempt.text(0).contains("swiftlet-port-forward-ok") { break }
                try await Task.sleep(for: .milliseconds(300))
            }
            let result = try #require(outcome)
            #expect(result.subprotocol == "v4.channel.k8s.io")
            // Each channel's first frame is the port, 8080 = 0x1F90, little-endian.
            #expect(result.frames.first { $0.channel == 0 }?.data == [0x90, 0x1F], "\(result.frames.prefix(3))")
            #expect(result.frames.first { $0.channel == 1 }?.data == [0x90, 0x1F], "\(result.frames.prefix(3))")
            #expect(result.text(0).contains("200 OK") && result.text(0).contains("swiftlet-port-forward-ok"), "\(result.text(0))")
        }
    }
}
