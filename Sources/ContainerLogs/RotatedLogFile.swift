import Glibc
import SystemSupport

/// A rotated log next to a live one: `<live>.<YYYYMMDD-hhmmss>[-<n>][.gz]`.
///
/// kubelet names rotated files `<live>.<timestamp>` and compresses older ones to `.gz`. Two rotations within one
/// second would give kubelet the same name (and its rename would overwrite the older file); Swiftlet's rotator
/// appends `-<n>` instead, so `sequence` orders them.
struct RotatedLogFile: Hashable, Sendable {
    /// Full path of this file.
    var path: String
    /// The `YYYYMMDD-hhmmss` UTC suffix.
    var stamp: String
    /// 0 for the first rotation in a second, then 1, 2, ...
    var sequence: Int
    /// Whether the file is gzip-compressed (`.gz`).
    var isCompressed: Bool

    /// Rotation order: older first.
    static func olderFirst(_ a: RotatedLogFile, _ b: RotatedLogFile) -> Bool {
        (a.stamp, a.sequence, a.isCompressed ? 1 : 0) < (b.stamp, b.sequence, b.isCompressed ? 1 : 0)
    }

    /// The identity of a rotation, shared by a file and its compressed copy.
    var rotationKey: String { "\(stamp)-\(sequence)" }

    /// Parses `name` (a directory entry) as a rotated file of `liveName`; nil for anything else, including the
    /// `.tmp` files compression writes before its rename.
    static func parse(name: String, liveName: String, directory: String) -> RotatedLogFile? {
        let prefix = liveName + "."
        guard name.hasPrefix(prefix) else { return nil }
        var rest = Substring(name.utf8.dropFirst(prefix.utf8.count))
        var compressed = false
        if rest.hasSuffix(".gz") {
            compressed = true
            rest = rest.dropLast(3)
        }
        let bytes = Array(rest.utf8)
        guard bytes.count >= 15, bytes[8] == UInt8(ascii: "-"),
              bytes[0..<8].allSatisfy(isDigit), bytes[9..<15].allSatisfy(isDigit)
        else { return nil }
        var sequence = 0
        if bytes.count > 15 {
            guard bytes[15] == UInt8(ascii: "-"), bytes.count > 16, bytes.count <= 24,
                  bytes[16...].allSatisfy(isDigit), let n = Int(String(decoding: bytes[16...], as: UTF8.self))
            else { return nil }
            sequence = n
        }
        return RotatedLogFile(path: directory + "/" + name, stamp: String(decoding: bytes[0..<15], as: UTF8.self),
                              sequence: sequence, isCompressed: compressed)
    }

    /// The file name suffix for a rotation at `time` (UTC), e.g. `20261129-033811`, with `-<sequence>` if > 0.
    static func suffix(for time: LogTimestamp, sequence: Int) -> String {
        let days = time.seconds.floorDivided(by: 86_400)
        let secondOfDay = time.seconds - days * 86_400
        let date = CivilCalendar.date(fromDaysSinceEpoch: days)
        func pad(_ value: Int64, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        var text = pad(date.year, 4) + pad(Int64(date.month), 2) + pad(Int64(date.day), 2) + "-"
        text += pad(secondOfDay / 3600, 2) + pad(secondOfDay % 3600 / 60, 2) + pad(secondOfDay % 60, 2)
        if sequence > 0 { text += "-\(sequence)" }
        return text
    }

    private static func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }
}

/// Paths and directory listings around a live log file.
enum LogPaths {
    /// Directory and file name of a path (`/a/b/0.log` → `/a/b`, `0.log`; a bare name lives in `.`).
    static func split(_ path: String) -> (directory: String, name: String) {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return (".", path) }
        let directory = String(path[..<slash])
        let name = String(path[path.utf8.index(after: slash)...])
        return (directory.isEmpty ? "/" : directory, name)
    }

    /// Names in a directory (without `.` and `..`).
    static func entries(of directory: String) throws(ContainerLogError) -> [String] {
        guard let names = DirectoryWalk.names(in: directory) else {
            throw .io(operation: "opendir", path: directory, errno: errno)
        }
        return names
    }

    /// The rotated files of `livePath`, oldest first. A rotation present both plain and compressed (compression
    /// interrupted between its rename and unlink) appears twice, plain first.
    static func rotatedFiles(of livePath: String) throws(ContainerLogError) -> [RotatedLogFile] {
        let (directory, name) = split(livePath)
        return try entries(of: directory)
            .compactMap { RotatedLogFile.parse(name: $0, liveName: name, directory: directory) }
            .sorted(by: RotatedLogFile.olderFirst)
    }
}
