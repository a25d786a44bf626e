import Foundation
import Testing
@testable import KubeTypes

@Suite struct TimeTests {
    @Test func formatsUTCSeconds() {
        #expect(Time(secondsSinceEpoch: 0).rfc3339 == "1970-01-01T00:00:00Z")
        #expect(Time(secondsSinceEpoch: 1_714_564_800).rfc3339 == "2024-05-01T12:00:00Z")
        #expect(Time(secondsSinceEpoch: -1).rfc3339 == "1969-12-31T23:59:59Z")
        #expect(Time(secondsSinceEpoch: 951_782_400).rfc3339 == "2000-02-29T00:00:00Z")
    }

    @Test func parsesFractionsAndOffsets() throws {
        #expect(Time(rfc3339: "2024-05-01T12:00:00Z")?.secondsSinceEpoch == 1_714_564_800)
        #expect(Time(rfc3339: "2024-05-01T12:00:00.999999Z")?.secondsSinceEpoch == 1_714_564_800)
        #expect(Time(rfc3339: "2024-05-01T14:30:00+02:30")?.secondsSinceEpoch == 1_714_564_800)
        #expect(Time(rfc3339: "2024-05-01T07:00:00-05:00")?.secondsSinceEpoch == 1_714_564_800)
        #expect(Time(rfc3339: "2024-05-01 12:00:00Z") == nil)
        #expect(Time(rfc3339: "2024-02-30T12:00:00Z") == nil)
        #expect(Time(rfc3339: "2024-05-01T12:00:00") == nil)
        #expect(Time(rfc3339: "") == nil)
        #expect(Time(rfc3339: "2024-05-01T12:00:00.Z") == nil)
    }

    @Test func microTimeKeepsMicroseconds() throws {
        let t = try #require(MicroTime(rfc3339: "2024-05-01T12:00:00.123456789Z"))
        #expect(t.microsecondsSinceEpoch == 1_714_564_800_123_456)
        #expect(t.rfc3339 == "2024-05-01T12:00:00.123456Z")
        #expect(MicroTime(rfc3339: "2024-05-01T12:00:00Z")?.rfc3339 == "2024-05-01T12:00:00.000000Z")
        #expect(t.time.rfc3339 == "2024-05-01T12:00:00Z")
        #expect(MicroTime(microsecondsSinceEpoch: -1).rfc3339 == "1969-12-31T23:59:59.999999Z")
    }

    @Test func codableAsString() throws {
        let data = try JSONEncoder().encode([Time(secondsSinceEpoch: 1_714_564_800)])
        #expect(String(decoding: data, as: UTF8.self) == "[\"2024-05-01T12:00:00Z\"]")
        let back = try JSONDecoder().decode([Time].self, from: Data("[\"2024-05-01T12:00:00.5+00:00\"]".utf8))
        #expect(back == [Time(secondsSinceEpoch: 1_714_564_800)])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([Time].self, from: Data("[\"yesterday\"]".utf8)) }
    }
}
