import Testing
@testable import StreamBridge

/// The status-channel rewriting for `channel.k8s.io` clients, which reads the runtime's v4 status JSON.
@Suite struct StreamStatusTests {
    private func v1(_ json: String) -> String? {
        StreamStatus.versionOneText(fromV4: Array(json.utf8)).map { String(decoding: $0, as: UTF8.self) }
    }

    @Test func successIsSilent() {
        #expect(v1(#"{"metadata":{},"status":"Success"}"#) == nil)
    }

    @Test func failureGivesItsMessage() {
        #expect(v1(#"{"status":"Failure","message":"container not running","reason":"InternalError"}"#)
            == "container not running")
    }

    @Test func exitCodeCauseIsSpelledOut() {
        let json = #"""
            {"metadata":{},"status":"Failure","message":"","reason":"NonZeroExitCode",
             "details":{"causes":[{"reason":"Other","message":"x"},{"reason":"ExitCode","message":"3"}]}}
            """#
        #expect(v1(json) == "command terminated with non-zero exit code: 3")
    }

    /// Members of an unexpected type count as absent, as they did with JSONSerialization's `as?` casts.
    @Test func mistypedMembersAreIgnored() {
        #expect(v1(#"{"status":1,"message":7,"details":{"causes":[{"reason":"ExitCode","message":"2"}]}}"#)
            == "command terminated with non-zero exit code: 2")
        let odd = #"{"status":"Failure","message":"","details":{"causes":"none"}}"#
        #expect(v1(odd) == odd)
    }

    @Test func notAnObjectIsPassedOn() {
        #expect(v1("not json") == "not json")
        #expect(v1("[1,2]") == "[1,2]")
    }

    /// The failure JSON has sorted keys, and slashes in messages stay unescaped.
    @Test func failureJSONIsSortedWithPlainSlashes() {
        let json = String(decoding: StreamStatus.failureJSON(message: "exec /bin/sh: not found"), as: UTF8.self)
        #expect(json == #"{"code":500,"message":"exec /bin/sh: not found","metadata":{},"reason":"InternalError","status":"Failure"}"#)
    }
}
