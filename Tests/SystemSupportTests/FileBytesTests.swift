import Foundation
import Testing
@testable import SystemSupport

/// A file under /tmp with the given content, removed when the value goes away.
private final class TemporaryFile {
    let path: String

    init(_ content: [UInt8]) throws {
        path = "/tmp/systemsupport-test-\(UUID().uuidString)"
        try Data(content).write(to: URL(fileURLWithPath: path))
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

@Suite struct FileBytesTests {
    private let content = Array((0..<10_000).map { UInt8(truncatingIfNeeded: $0) })

    @Test func prefixReadsTheStart() throws {
        let file = try TemporaryFile(content)
        #expect(FileBytes.prefix(atPath: file.path, maxBytes: 4096) == Array(content.prefix(4096)))
        #expect(FileBytes.prefix(atPath: file.path, maxBytes: 20_000) == content)
        #expect(FileBytes.prefix(atPath: file.path, maxBytes: 0) == [])
    }

    @Test func suffixReadsTheEnd() throws {
        let file = try TemporaryFile(content)
        #expect(FileBytes.suffix(atPath: file.path, maxBytes: 4096) == Array(content.suffix(4096)))
        #expect(FileBytes.suffix(atPath: file.path, maxBytes: 20_000) == content)
    }

    @Test func emptyFileGivesNoBytes() throws {
        let file = try TemporaryFile([])
        #expect(FileBytes.prefix(atPath: file.path, maxBytes: 10) == [])
        #expect(FileBytes.suffix(atPath: file.path, maxBytes: 10) == [])
    }

    @Test func missingFileOrDirectoryIsNil() {
        #expect(FileBytes.prefix(atPath: "/nonexistent/file", maxBytes: 10) == nil)
        #expect(FileBytes.suffix(atPath: "/nonexistent/file", maxBytes: 10) == nil)
        #expect(FileBytes.prefix(atPath: "/tmp", maxBytes: 10) == nil)
    }

    /// /proc files report size 0; the prefix read still gets their content.
    @Test func procFilesArePrefixReadable() throws {
        let status = try #require(FileBytes.prefix(atPath: "/proc/self/status", maxBytes: 4096))
        #expect(String(decoding: status, as: UTF8.self).hasPrefix("Name:"))
    }
}

@Suite struct FileErrorReasonTests {
    @Test func missingFileIsNamedByErrno() {
        do {
            _ = try String(contentsOfFile: "/nonexistent/settings.yaml", encoding: .utf8)
            Issue.record("read should fail")
        } catch {
            #expect(FileErrorReason.describe(error) == "No such file or directory")
        }
    }

    @Test func createDirectoryUnderAFile() throws {
        let file = try TemporaryFile([1])
        do {
            try FileManager.default.createDirectory(atPath: file.path + "/sub", withIntermediateDirectories: true)
            Issue.record("createDirectory should fail")
        } catch {
            #expect(FileErrorReason.describe(error) == "Not a directory")
        }
    }

    @Test func invalidUTF8() throws {
        let file = try TemporaryFile([0xFF, 0xFE, 0x00])
        do {
            _ = try String(contentsOfFile: file.path, encoding: .utf8)
            Issue.record("decoding should fail")
        } catch {
            #expect(FileErrorReason.describe(error) == "not valid text in the requested encoding")
        }
    }

    @Test func otherErrorsKeepTheirDescription() {
        struct Custom: Error, CustomStringConvertible {
            var description: String { "custom failure" }
        }
        #expect(FileErrorReason.describe(Custom()) == "custom failure")
        #expect(FileErrorReason.describe(POSIXError(.EACCES)) == "Permission denied")
    }
}
