import Foundation

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
        guard let object = try? JSONSerialization.jsonObject(with: Data(json)) as? [String: Any] else { return json }
        if object["status"] as? String == "Success" { return nil }
        if let message = object["message"] as? String, !message.isEmpty { return Array(message.utf8) }
        if let details = object["details"] as? [String: Any], let causes = details["causes"] as? [[String: Any]],
           let code = causes.first(where: { $0["reason"] as? String == "ExitCode" })?["message"] as? String {
            return Array("command terminated with non-zero exit code: \(code)".utf8)
        }
        return json
    }
}
