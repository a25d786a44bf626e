import FoundationEssentials

/// The status-channel messages the relay writes or rewrites itself (the runtime writes the usual ones).
enum StreamStatus {
    /// The status channel of exec and attach.
    static let channel: UInt8 = 3

    private struct FailureStatus: Encodable {
        struct Metadata: Encodable {}
        var metadata = Metadata()
        var status = "Failure"
        var message: String
        var reason: String
        var code: Int
    }

    /// A Kubernetes `Status` failure as JSON, as kubelet writes it on the status channel.
    static func failureJSON(message: String, reason: String = "InternalError", code: Int = 500) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? Array(encoder.encode(FailureStatus(message: message, reason: reason, code: code))))
            ?? Array(#"{"status":"Failure","reason":"InternalError","code":500}"#.utf8)
    }

    /// What a `channel.k8s.io` (version 1) client gets for a v4 status: nothing on success, the message text on
    /// failure (version 1 has no structured status, as in kubelet).
    static func versionOneText(fromV4 json: [UInt8]) -> [UInt8]? {
        guard let status = try? JSONDecoder().decode(V4Status.self, from: Data(json)) else { return json }
        if status.status?.value == "Success" { return nil }
        if let message = status.message?.value, !message.isEmpty { return Array(message.utf8) }
        if let causes = status.details?.value?.causes?.value,
           let code = causes.first(where: { $0.reason?.value == "ExitCode" })?.message?.value {
            return Array("command terminated with non-zero exit code: \(code)".utf8)
        }
        return json
    }

    /// The members of a v4 status that `versionOneText` reads. Each is `Lenient`, so that a member of another type
    /// counts as absent instead of making the whole status unreadable.
    private struct V4Status: Decodable {
        struct Details: Decodable {
            var causes: Lenient<[Cause]>?
        }
        struct Cause: Decodable {
            var reason: Lenient<String>?
            var message: Lenient<String>?
        }
        var status: Lenient<String>?
        var message: Lenient<String>?
        var details: Lenient<Details>?
    }

    /// A value of type `Value`, or nil when the JSON holds something else there.
    private struct Lenient<Value: Decodable>: Decodable {
        var value: Value?

        init(from decoder: any Decoder) throws {
            value = try? decoder.singleValueContainer().decode(Value.self)
        }
    }
}
