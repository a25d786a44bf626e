import Testing
@testable import ContainerLogs

@Suite("CRI log line parsing")
struct ParsingTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var line: String
        var expected: Result<CRILogLine, CRILogLineError>
        var testDescription: String { line }
    }

    static let t = LogTimestamp(seconds: 1_795_923_491, nanoseconds: 381_801_300)

    static let cases: [Case] = [
        Case(line: "2026-11-29T03:38:11.3818013Z stdout F hello world",
             expected: .success(CRILogLine(timestamp: t, stream: .stdout, isPartial: false, content: Array("hello world".utf8)))),
        Case(line: "2026-11-29T03:38:11.3818013Z stderr P part one ",
             expected: .success(CRILogLine(timestamp: t, stream: .stderr, isPartial: true, content: Array("part one ".utf8)))),
        // Empty content, with and without the separating space.
        Case(line: "2026-11-29T03:38:11.3818013Z stdout F ",
             expected: .success(CRILogLine(timestamp: t, stream: .stdout, isPartial: false, content: []))),
        Case(line: "2026-11-29T03:38:11.3818013Z stdout F",
             expected: .success(CRILogLine(timestamp: t, stream: .stdout, isPartial: false, content: []))),
        // Content keeps inner and repeated spaces.
        Case(line: "2026-11-29T03:38:11Z stdout F  two  spaces ",
             expected: .success(CRILogLine(timestamp: LogTimestamp(seconds: 1_795_923_491), stream: .stdout,
                                           isPartial: false, content: Array(" two  spaces ".utf8)))),
        // Full nanoseconds and an explicit offset (converted to UTC).
        Case(line: "2026-11-29T05:38:11.381801300+02:00 stdout F x",
             expected: .success(CRILogLine(timestamp: t, stream: .stdout, isPartial: false, content: [UInt8(ascii: "x")]))),
        // Forward-compatible tags: only the first ':'-separated tag counts.
        Case(line: "2026-11-29T03:38:11.3818013Z stdout P:future x",
             expected: .success(CRILogLine(timestamp: t, stream: .stdout, isPartial: true, content: [UInt8(ascii: "x")]))),
        Case(line: "no-spaces-at-all", expected: .failure(.missingTimestamp)),
        Case(line: "yesterday stdout F x", expected: .failure(.invalidTimestamp)),
        Case(line: "2026-13-29T03:38:11Z stdout F x", expected: .failure(.invalidTimestamp)),
        Case(line: "2026-02-30T03:38:11Z stdout F x", expected: .failure(.invalidTimestamp)),
        Case(line: "2026-11-29T03:38:11.1234567891Z stdout F x", expected: .failure(.invalidTimestamp)),
        Case(line: "2026-11-29T03:38:11Z stdin F x", expected: .failure(.invalidStream)),
        Case(line: "2026-11-29T03:38:11Z stdout", expected: .failure(.invalidStream)),
        Case(line: "2026-11-29T03:38:11Z stdout X x", expected: .failure(.invalidTag)),
        Case(line: "2026-11-29T03:38:11Z stdout FF x", expected: .failure(.invalidTag)),
        Case(line: "2026-11-29T03:38:11Z stdout  x", expected: .failure(.invalidTag)),
    ]

    @Test("parses or rejects", arguments: cases)
    func parse(_ c: Case) {
        let parsed = Result { () throws(CRILogLineError) in try CRILogLine(parsing: c.line) }
        #expect(parsed == c.expected)
    }

    @Test func serializedRoundTrips() throws {
        let line = CRILogLine(timestamp: Self.t, stream: .stderr, isPartial: true, content: Array("a b".utf8))
        #expect(String(decoding: line.serialized, as: UTF8.self) == "2026-11-29T03:38:11.381801300Z stderr P a b\n")
        #expect(try CRILogLine(parsing: line.serialized) == line)
    }

    @Test func timestampFormatsAsKubectlShowsIt() throws {
        #expect(Self.t.rfc3339NanoFixed == "2026-11-29T03:38:11.381801300Z")
        #expect(LogTimestamp(seconds: 0).rfc3339NanoFixed == "1970-01-01T00:00:00.000000000Z")
        #expect(LogTimestamp(seconds: -1, nanoseconds: 5).rfc3339NanoFixed == "1969-12-31T23:59:59.000000005Z")
        let leap = try #require(LogTimestamp(rfc3339: "2024-02-29T23:59:59.999999999Z"))
        #expect(leap.rfc3339NanoFixed == "2024-02-29T23:59:59.999999999Z")
        #expect(leap.adding(seconds: 1).rfc3339NanoFixed == "2024-03-01T00:00:00.999999999Z")
        #expect(LogTimestamp(rfc3339: "2026-11-29T03:38:11.5-00:30")?.rfc3339NanoFixed == "2026-11-29T04:08:11.500000000Z")
        #expect(LogTimestamp(rfc3339: "2026-11-29 03:38:11Z") == nil)
        #expect(LogTimestamp(rfc3339: "2026-11-29T03:38:11.Z") == nil)
    }

    @Test func timestampsOrderByNanoseconds() throws {
        let a = try #require(LogTimestamp(rfc3339: "2026-11-29T03:38:11.0000001Z"))
        let b = try #require(LogTimestamp(rfc3339: "2026-11-29T03:38:11.0000002Z"))
        #expect(a < b)
        #expect(LogTimestamp(seconds: 10, nanoseconds: 1_500_000_000) == LogTimestamp(seconds: 11, nanoseconds: 500_000_000))
    }

    @Test func rotatedNamesParseAndSort() throws {
        let names = ["0.log.20261129-033811.gz", "0.log.20261129-033811-10", "0.log.20261129-033811-2.gz",
                     "0.log.20261129-033812", "0.log.20261129-033812.tmp", "0.log", "1.log.20261129-033811",
                     "0.log.2026112-033811", "0.log.20261129-033811.gz.tmp"]
        let parsed = names.compactMap { RotatedLogFile.parse(name: $0, liveName: "0.log", directory: "/d") }
            .sorted(by: RotatedLogFile.olderFirst)
        #expect(parsed.map(\.path) == ["/d/0.log.20261129-033811.gz", "/d/0.log.20261129-033811-2.gz",
                                       "/d/0.log.20261129-033811-10", "/d/0.log.20261129-033812"])
        #expect(RotatedLogFile.suffix(for: LogTimestamp(seconds: 1_795_923_491), sequence: 0) == "20261129-033811")
        #expect(RotatedLogFile.suffix(for: LogTimestamp(seconds: 1_795_923_491), sequence: 3) == "20261129-033811-3")
    }
}
