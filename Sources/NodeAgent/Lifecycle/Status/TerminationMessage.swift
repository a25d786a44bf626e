import FoundationEssentials
import SystemSupport

/// Reads a container's termination message after it exited, as kubelet does: the file the container wrote at
/// `terminationMessagePath` (bind-mounted from the pod dir, at most 4096 bytes), or with `FallbackToLogsOnError`
/// and a failed, silent exit the tail of its log (last 80 lines, at most 2048 bytes).
enum TerminationMessage {
    static let maxFileBytes = 4096
    static let fallbackLines = 80
    static let fallbackBytes = 2048

    static func read(_ instance: ContainerInstance) -> String {
        let path = instance.annotations[RuntimeLabels.terminationMessagePath] ?? ""
        var message = ""
        if !path.isEmpty, let mount = instance.mounts.first(where: { $0.containerPath == path }) {
            message = readPrefix(mount.hostPath, limit: maxFileBytes)
        }
        let policy = instance.annotations[RuntimeLabels.terminationMessagePolicy] ?? "File"
        if message.isEmpty && policy == "FallbackToLogsOnError" && instance.exitCode != 0 && !instance.logPath.isEmpty {
            message = logTail(instance.logPath)
        }
        return message
    }

    static func readPrefix(_ path: String, limit: Int) -> String {
        String(decoding: FileBytes.prefix(atPath: path, maxBytes: limit) ?? [], as: UTF8.self)
    }

    /// The content of the last `fallbackLines` log lines, cut to the last `fallbackBytes` bytes.
    static func logTail(_ path: String) -> String {
        guard let data = FileManager.default.contents(atPath: path) else { return "" }
        // Only the end matters; a generous window keeps this cheap for big logs.
        let window = data.count > 256 * 1024 ? data.suffix(256 * 1024) : data
        let lines = String(decoding: window, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true)
        var content = ""
        for line in lines.suffix(fallbackLines) {
            // `<time> <stream> <P|F> <content>`
            let fields = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false)
            guard fields.count >= 3 else { continue }
            let text = fields.count == 4 ? String(fields[3]) : ""
            content += text
            if fields[2] == "F" { content += "\n" }
        }
        let bytes = Array(content.utf8)
        if bytes.count > fallbackBytes {
            return String(decoding: bytes.suffix(fallbackBytes), as: UTF8.self)
        }
        return content
    }
}
