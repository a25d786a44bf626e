import Foundation
import Testing
@testable import ContainerLogs

@Suite("Reading a container log")
struct ReadingTests {
    /// A log with both streams, a joined stderr line interleaved with stdout, and malformed lines.
    static func mixedLog() -> String {
        cri(at(0), .stdout, "F", "out 1")
            + cri(at(1), .stderr, "P", "err long ")
            + cri(at(2), .stdout, "F", "out 2")
            + "this is not a CRI line\n"
            + cri(at(3), .stderr, "P", "line ")
            + cri(at(4), .stderr, "F", "end")
            + cri(at(5), .stdout, "F", "")
            + cri(at(6), .stdout, "F", "out 4")
    }

    @Test func wholeLogJoinsPartsAndSkipsMalformedLines() async throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("0.log")
        try writeFile(path, Self.mixedLog())
        let stream = try ContainerLogReader(path: path).open(LogReadOptions())
        var bytes: [UInt8] = []
        for try await chunk in stream { bytes += chunk }
        #expect(String(decoding: bytes, as: UTF8.self) == "out 1\nout 2\nerr long line end\n\nout 4\n")
        #expect(stream.malformedLines == 1)
    }

    @Test func streamSplit() async throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("0.log")
        try writeFile(path, Self.mixedLog())
        #expect(try await readAll(path, LogReadOptions(stream: .stdout)) == "out 1\nout 2\n\nout 4\n")
        #expect(try await readAll(path, LogReadOptions(stream: .stderr)) == "err long line end\n")
    }

    @Test func timestampsPrefixUsesTheCompletingPartsTimeInFixedNanoForm() async throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("0.log")
        try writeFile(path, cri(at(0, 381_801_300), .stdout, "F", "a") + cri(at(1), .stderr, "P", "b")
                      + cri(at(2, 5), .stderr, "F", "c"))
        let text = try await readAll(path, LogReadOptions(timestamps: true))
        #expect(text == "2026-11-29T03:38:11.381801300Z a\n2026-11-29T03:38:13.000000005Z bc\n")
    }

    @Test func sinceKeepsLinesAtOrAfterThePoint() async throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("0.log")
        try writeFile(path, Self.mixedLog())
        #expect(try await readAll(path, LogReadOptions(since: at(2))) == "out 2\nerr long line end\n\nout 4\n")
        #expect(try await readAll(path, LogReadOptions(since: at(4, 1))) == "\nout 4\n")
        #expect(try await readAll(path, LogReadOptions(since: at(7))) == "")
        #expect(try await readAll(path, LogReadOptions(since: at(-100))) == "out 1\nout 2\nerr long line end\n\nout 4\n")
    }

    @Test func limitBytesCutsAtTheLimitEvenMidLine() async throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("0.log")
        try writeFile(path, Self.mixedLog())
        #expect(try await readAll(path, LogReadOptions(limitBytes: 8)) == "out 1\nou")
        #expect(try await readAll(path, LogReadOptions(limitBytes: 6)) == "out 1\n")
        #expect(try await readAll(path, LogReadOptions(limitBytes: 1000)) == "out 1\nout 2\nerr long line end\n\nout 4\n")
        // The prefix counts toward the limit, as in kubelet.
        #expect(try await readAll(path, LogReadOptions(limitBytes: 33, timestamps: true))
                == "2026-11-29T03:38:11.000000000Z ou")
    }

    @Test func tailCountsLogicalLinesPerStream() async throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("0.log")
        try writeFile(path, Self.mixedLog())
        #expect(try await readAll(path, LogReadOptions(tailLines: 2)) == "\nout 4\n")
        // The joined stderr line is the third from the end: its parts start before "out 2", which is not shown.
        #expect(try await readAll(path, LogReadOptions(tailLines: 3)) == "err long line end\n\nout 4\n")
        #expect(try await readAll(path, LogReadOptions(tailLines: 1, stream: .stderr)) == "err long line end\n")
        #expect(try await readAll(path, LogReadOptions(tailLines: 3, stream: .stdout)) == "out 2\n\nout 4\n")
        #expect(try await readAll(path, LogReadOptions(tailLines: 100)) == "out 1\nout 2\nerr long line end\n\nout 4\n")
        #expect(try await readAll(path, LogReadOptions(tailLines: 0)) == "")
        #expect(try await readAll(path, LogReadOptions(tailLines: 3, since: at(5))) == "\nout 4\n")
    }

    @Test func tailIgnoresAnIncompleteLastLine() async throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("0.log")
        try writeFile(path, cri(at(0), .stdout, "F", "done") + "2026-11-29T03:38:12Z stdout F half-writ")
        #expect(try await readAll(path, LogReadOptions(tailLines: 1)) == "done\n")
        #expect(try await readAll(path) == "done\n")
    }

    @Test func tailWithSmallBlocksJoinsLinesAcrossBlockBoundaries() async throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("0.log")
        var text = ""
        for i in 0..<300 { text += cri(at(Int64(i)), i % 3 == 0 ? .stderr : .stdout, "F", "line \(i) " + String(repeating: "x", count: i % 37)) }
        try writeFile(path, text)
        let config = ContainerLogReader.Configuration(blockSize: 512)
        let all = try await readAll(path, configuration: config).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(all.count == 301)
        let tail = try await readAll(path, LogReadOptions(tailLines: 123), configuration: config)
        #expect(tail == all.suffix(124).joined(separator: "\n"))
    }

    @Test(.enabled(if: LogCompression.isAvailable, "needs the CZlib target"))
    func tailAndSinceReadAcrossRotatedAndCompressedFiles() async throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("0.log")
        // Oldest: compressed; then a compressed one from the same second (sequence 1); then plain; then live.
        try writeFile(path + ".20261129-033811", cri(at(0), .stdout, "F", "a0") + cri(at(1), .stdout, "F", "a1"))
        try Gzip.compress(source: path + ".20261129-033811", destination: path + ".20261129-033811.gz")
        try FileManager.default.removeItem(atPath: path + ".20261129-033811")
        try writeFile(path + ".20261129-033811-1", cri(at(2), .stderr, "P", "b2-") + cri(at(3), .stdout, "F", "b3"))
        try Gzip.compress(source: path + ".20261129-033811-1", destination: path + ".20261129-033811-1.gz")
        try FileManager.default.removeItem(atPath: path + ".20261129-033811-1")
        // The stderr line started in the compressed file continues in the plain rotated one.
        try writeFile(path + ".20261129-033812", cri(at(4), .stderr, "F", "joined") + cri(at(5), .stdout, "F", "c5"))
        try writeFile(path, cri(at(6), .stdout, "F", "d6") + cri(at(7), .stdout, "F", "d7"))
        // A leftover from an interrupted compression is not part of the log.
        try writeFile(path + ".20261129-033812.gz.tmp", "garbage")

        #expect(try await readAll(path) == "a0\na1\nb3\nb2-joined\nc5\nd6\nd7\n")
        #expect(try await readAll(path, LogReadOptions(tailLines: 3)) == "c5\nd6\nd7\n")
        #expect(try await readAll(path, LogReadOptions(tailLines: 4)) == "b2-joined\nc5\nd6\nd7\n")
        #expect(try await readAll(path, LogReadOptions(tailLines: 5)) == "b3\nb2-joined\nc5\nd6\nd7\n")
        #expect(try await readAll(path, LogReadOptions(tailLines: 6)) == "a1\nb3\nb2-joined\nc5\nd6\nd7\n")
        #expect(try await readAll(path, LogReadOptions(tailLines: 2, stream: .stderr)) == "b2-joined\n")
        #expect(try await readAll(path, LogReadOptions(since: at(1))) == "a1\nb3\nb2-joined\nc5\nd6\nd7\n")
        #expect(try await readAll(path, LogReadOptions(since: at(5))) == "c5\nd6\nd7\n")
        #expect(try await readAll(path, LogReadOptions(since: at(3), limitBytes: 9)) == "b3\nb2-joi")
    }

    @Test(.enabled(if: LogCompression.isAvailable, "needs the CZlib target"))
    func aCorruptCompressedFileIsAClearError() async throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("0.log")
        try writeFile(path + ".20261129-033811.gz", "definitely not gzip")
        try writeFile(path, cri(at(6), .stdout, "F", "live"))
        #expect(try await readAll(path, LogReadOptions(tailLines: 1)) == "live\n")
        await #expect(throws: ContainerLogError.self) { try await readAll(path) }
    }

    @Test func tailOnA50MBFileReadsOnlyAFewBlocks() async throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("0.log")
        // 50 MiB of 100-byte lines, written as one repeated 1 MiB block, then 10 distinct last lines.
        var line = Array(cri(at(0), .stdout, "F", "").utf8)
        line.insert(contentsOf: repeatElement(UInt8(ascii: "x"), count: 100 - line.count), at: line.count - 1)
        var block: [UInt8] = []
        while block.count + line.count <= 1 << 20 { block += line }
        let handle = try #require(FileHandle(forWritingAtPath: path) ?? {
            FileManager.default.createFile(atPath: path, contents: nil)
            return FileHandle(forWritingAtPath: path)
        }())
        for _ in 0..<50 { try handle.write(contentsOf: Data(block)) }
        var last = ""
        for i in 0..<10 { last += cri(at(100 + Int64(i)), .stdout, "F", "last \(i)") }
        try handle.write(contentsOf: Data(last.utf8))
        try handle.close()
        let size = try #require(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        #expect(size > 50_000_000)

        let configuration = ContainerLogReader.Configuration()
        let stream = try ContainerLogReader(path: path, configuration: configuration).open(LogReadOptions(tailLines: 10))
        var bytes: [UInt8] = []
        for try await chunk in stream { bytes += chunk }
        #expect(String(decoding: bytes, as: UTF8.self) == (0..<10).map { "last \($0)\n" }.joined())
        // One block backwards, then the tail window forwards: far below the file size.
        #expect(stream.bytesRead <= 2 * configuration.blockSize, "read \(stream.bytesRead) bytes")
    }

    @Test func missingFileIsATypedNotFoundError() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("nope/0.log")
        #expect(throws: ContainerLogError.logFileNotFound(path: path)) {
            try ContainerLogReader(path: path).open(LogReadOptions())
        }
    }

    @Test func invalidOptionsAreRejectedBeforeReading() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("0.log")
        try writeFile(path, "")
        #expect(throws: ContainerLogError.self) { try ContainerLogReader(path: path).open(LogReadOptions(tailLines: -1)) }
        #expect(throws: ContainerLogError.self) { try ContainerLogReader(path: path).open(LogReadOptions(limitBytes: 0)) }
    }

    @Test func anEndlessPartialLineIsEmittedInPiecesNotBufferedWhole() async throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("0.log")
        let part = String(repeating: "p", count: 1000)
        var text = ""
        for _ in 0..<5 { text += cri(at(0), .stdout, "P", part) }
        text += cri(at(1), .stdout, "F", "!")
        try writeFile(path, text)
        let config = ContainerLogReader.Configuration(maxLogicalLineBytes: 1024)
        let out = try await readAll(path, LogReadOptions(timestamps: true), configuration: config)
        // Same bytes as a fully joined line, one prefix.
        #expect(out == "2026-11-29T03:38:11.000000000Z " + String(repeating: part, count: 5) + "!\n")
    }
}
