import FoundationEssentials
import KubeTypes
import SystemSupport

/// Reads the `--config` YAML file.
///
/// Decoding is strict, through the same decoder that reads pods: a misspelt key is an error naming it, not a
/// setting silently ignored.
enum NodeSettingsFile {
    struct LoadError: Error, CustomStringConvertible {
        var description: String
    }

    static func load(_ path: String) throws -> NodeSettings {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw LoadError(description: "cannot read config file \(path): \(FileErrorReason.describe(error))")
        }
        if text.trimmingWhitespaceAndNewlines().isEmpty { return NodeSettings() }
        do {
            return try KubeYAML.decode(NodeSettings.self, from: text)
        } catch {
            throw LoadError(description: "config file \(path): \(error)")
        }
    }
}
