import Foundation
import Testing
@testable import SystemSupport

/// The walk that replaced `FileManager.enumerator(atPath:)` (volume ownership, emptyDir disk usage), checked
/// against that enumerator on a real tree.
@Suite struct DirectoryWalkTests {
    /// A tree under /tmp with files, nesting, an empty directory, a link out of the tree and odd names.
    private static func makeTree() throws -> (root: String, outside: String) {
        let root = "/tmp/systemsupport-walk-\(UUID().uuidString)"
        let outside = root + "-outside"
        let fm = FileManager.default
        try fm.createDirectory(atPath: root + "/sub/deeper/empty", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: outside + "/hidden", withIntermediateDirectories: true)
        for file in ["top", "sub/a b", "sub/deeper/ü", "sub/.dot", outside + "/hidden/secret"] {
            let path = file.hasPrefix("/") ? file : root + "/" + file
            #expect(fm.createFile(atPath: path, contents: Data("x".utf8)))
        }
        try fm.createSymbolicLink(atPath: root + "/sub/escape", withDestinationPath: outside)
        var deep = root + "/chain"
        for _ in 0..<200 { deep += "/d" }
        try fm.createDirectory(atPath: deep, withIntermediateDirectories: true)
        return (root, outside)
    }

    @Test func visitsWhatFoundationsEnumeratorVisits() throws {
        let (root, outside) = try Self.makeTree()
        defer {
            try? FileManager.default.removeItem(atPath: root)
            try? FileManager.default.removeItem(atPath: outside)
        }
        var walked: [String] = []
        DirectoryWalk.forEachEntry(under: root) { walked.append($0.path) }
        let enumerator = try #require(FileManager.default.enumerator(atPath: root))
        var enumerated: [String] = []
        while let relative = enumerator.nextObject() as? String { enumerated.append(root + "/" + relative) }

        #expect(walked.count == Set(walked).count, "a path visited twice")
        #expect(Set(walked) == Set(enumerated))
        #expect(walked.count == 9 + 200)  // top, sub and its six, chain; then chain's 200 nested directories
        #expect(walked.contains(root + "/sub/escape"))
        #expect(!walked.contains { $0.hasSuffix("/secret") }, "followed a symbolic link")
        // A directory comes before its contents.
        let sub = try #require(walked.firstIndex(of: root + "/sub"))
        let inner = try #require(walked.firstIndex(of: root + "/sub/deeper/ü"))
        #expect(sub < inner)
        #expect(DirectoryWalk.names(in: root + "/sub")?.sorted() == [".dot", "a b", "deeper", "escape"])
    }

    @Test func aMissingRootOrAThrowingVisitEndsTheWalk() throws {
        let missing = "/nonexistent-\(UUID().uuidString)"
        var visited = 0
        DirectoryWalk.forEachEntry(under: missing) { _ in visited += 1 }
        #expect(visited == 0)
        #expect(DirectoryWalk.names(in: missing) == nil)
        #expect(errno == ENOENT)

        let (root, outside) = try Self.makeTree()
        defer {
            try? FileManager.default.removeItem(atPath: root)
            try? FileManager.default.removeItem(atPath: outside)
        }
        struct Stop: Error {}
        #expect(throws: Stop.self) {
            try DirectoryWalk.forEachEntry(under: root) { _ in
                visited += 1
                if visited == 3 { throw Stop() }
            }
        }
        #expect(visited == 3)
    }

    @Test func namesThatAreNotUTF8AreWalkedAndStatted() throws {
        let root = "/tmp/systemsupport-walk-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        // "bad\xff": a name no String can hold; a path rebuilt from a decoded String would not exist.
        let bad: [CChar] = Array((root + "/bad").utf8CString.dropLast()) + [CChar(bitPattern: 0xFF), 0]
        #expect(mkdir(bad, 0o755) == 0)
        let inner = Array(bad.dropLast()) + Array("/inner".utf8CString)
        let fd = open(inner, O_CREAT | O_WRONLY, 0o644)
        #expect(fd >= 0)
        #expect(write(fd, "12345", 5) == 5)
        close(fd)
        var entries: [DirectoryWalk.Entry] = []
        DirectoryWalk.forEachEntry(under: root) { entries.append($0) }
        #expect(entries.count == 2)
        #expect(entries.first?.isDirectory == true && entries.first?.name.suffix(2) == [CChar(bitPattern: 0xFF), 0])
        #expect(entries.last?.info.st_size == 5, "the file inside the non-UTF-8 directory was not statted")
    }

    @Test func aDirectorySwappedForALinkBeforeItIsEnteredEndsItsBranch() throws {
        let (root, outside) = try Self.makeTree()
        defer {
            try? FileManager.default.removeItem(atPath: root)
            try? FileManager.default.removeItem(atPath: outside)
        }
        let fm = FileManager.default
        var walked: [String] = []
        var swapped = false
        DirectoryWalk.forEachEntry(under: root) { entry in
            walked.append(entry.path)
            // The first visit inside a top-level directory: the other top-level directory was seen (and found to be
            // a directory) while the root was read, but is not entered yet. Both are replaced by a link to the
            // outside tree, as a container could do in its volume.
            guard !swapped, entry.path.dropFirst(root.count + 1).contains("/") else { return }
            swapped = true
            for name in ["sub", "chain"] {
                try? fm.moveItem(atPath: root + "/" + name, toPath: root + "/" + name + ".moved")
                try? fm.createSymbolicLink(atPath: root + "/" + name, withDestinationPath: outside)
            }
        }
        #expect(swapped)
        #expect(!walked.contains { $0.hasSuffix("/secret") || $0.hasSuffix("/hidden") }, "the walk followed a swapped link: \(walked)")
    }
}

