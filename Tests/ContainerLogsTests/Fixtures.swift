import Foundation
import Synchronization
import Testing
@testable import ContainerLogs

/// A fresh directory under /tmp, removed when the value goes away.
final class TemporaryDirectory: Sendable {
    let path: String

    init() throws {
        let template = "/tmp/containerlogs-test-XXXXXX"
        var bytes = Array(template.utf8CString)
        let made = bytes.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        try #require(made != nil, "mkdtemp failed")
        path = String(cString: bytes)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// A path inside this directory.
    func file(_ name: String) -> String { path + "/" + name }
}

/// 2026-11-29T03:38:11Z, a fixed base time for fixtures.
let baseTime = LogTimestamp(seconds: 1_795_923_491)

/// A CRI log line (with newline) as containerd writes it.
func cri(_ time: LogTimestamp, _ stream: LogStream = .stdout, _ tag: String = "F", _ content: String) -> String {
    "\(criTimestamp(time)) \(stream.rawValue) \(tag) \(content)\n"
}

/// containerd's variable-width RFC 3339 nano form (trailing zeros trimmed), to exercise the parser.
func criTimestamp(_ time: LogTimestamp) -> String {
    var text = time.rfc3339NanoFixed
    text.removeLast()  // Z
    while text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text.removeLast() }
    return text + "Z"
}

/// `baseTime + seconds` (+ nanoseconds).
func at(_ seconds: Int64, _ nanoseconds: Int32 = 0) -> LogTimestamp {
    LogTimestamp(seconds: baseTime.seconds + seconds, nanoseconds: nanoseconds)
}

func writeFile(_ path: String, _ text: String) throws {
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
}

func appendFile(_ path: String, _ text: String) throws {
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    defer { try? handle.close() }
    try handle.seekToEnd()
    try handle.write(contentsOf: Data(text.utf8))
}

func readText(_ path: String) throws -> String {
    String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
}

func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

func listing(_ directory: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
}

/// Everything a non-follow stream produces, as text.
func readAll(_ path: String, _ options: LogReadOptions = LogReadOptions(),
             configuration: ContainerLogReader.Configuration = .init()) async throws -> String {
    let stream = try ContainerLogReader(path: path, configuration: configuration).open(options)
    var bytes: [UInt8] = []
    for try await chunk in stream { bytes += chunk }
    return String(decoding: bytes, as: UTF8.self)
}

/// A `LogReopener` that behaves like containerd (creates a new empty file at the live path) or fails.
final class FakeReopener: LogReopener {
    struct Failure: Error, CustomStringConvertible {
        var description: String { "runtime said no" }
    }

    private let state = Mutex<(calls: [String], fail: Bool)>(([], false))
    private let paths: [String: String]

    init(paths: [String: String]) { self.paths = paths }

    var calls: [String] { state.withLock { $0.calls } }

    func setFailing(_ fail: Bool) { state.withLock { $0.fail = fail } }

    func reopenContainerLog(containerID: String) async throws {
        let fail = state.withLock { state -> Bool in
            state.calls.append(containerID)
            return state.fail
        }
        if fail { throw Failure() }
        guard let path = paths[containerID] else { throw Failure() }
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw Failure() }
        close(fd)
    }
}

/// Descriptors of this process that point into `directory`, plus inotify instances (follow tests are serialized,
/// so no other test creates inotify descriptors meanwhile).
func openDescriptors(into directory: String) throws -> (files: Int, inotify: Int) {
    var files = 0
    var inotify = 0
    for entry in try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
        guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + entry) else {
            continue
        }
        if target.hasPrefix(directory) { files += 1 }
        if target == "anon_inode:inotify" { inotify += 1 }
    }
    return (files, inotify)
}
