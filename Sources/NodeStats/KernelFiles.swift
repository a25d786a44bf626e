import FoundationEssentials

#if canImport(Glibc)
    import Glibc
#endif

/// Small readers for `/proc`, `/sys/fs/cgroup` and filesystem figures.
///
/// Every reader returns nil (or an empty value) when the file is missing or unparsable, because stats are best
/// effort: a container that exits between listing and reading must not fail the whole housekeeping pass.
enum KernelFiles {
    /// The whole text of a small kernel file, or nil.
    static func text(_ path: String) -> String? {
        bytes(path).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The whole content of a small kernel file, or nil.
    static func bytes(_ path: String) -> [UInt8]? {
        // Kernel files report size 0, so read them with a plain loop rather than relying on the size. The chunk is
        // uninitialised scratch: a housekeeping pass reads about a thousand of these files, and zero-filling a fresh
        // 16 kB array for each was pure overhead.
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 4096) { chunk in
            while true {
                let count = read(fd, chunk.baseAddress, chunk.count)
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { break }
                bytes.append(contentsOf: chunk[0..<count])
            }
        }
        return bytes
    }

    /// The first line of a file as an unsigned number (cgroup v1 single-value files), or nil.
    static func number(_ path: String) -> UInt64? {
        bytes(path).flatMap { UInt64(trimmedField($0)) }
    }

    /// The first line as a signed number (`cpu.cfs_quota_us` is -1 when unlimited), or nil.
    static func signedNumber(_ path: String) -> Int64? {
        bytes(path).flatMap { Int64(trimmedField($0)) }
    }

    /// `bytes` without leading and trailing ASCII blanks and newlines, as a string for the integer parsers.
    static func trimmedField(_ bytes: [UInt8]) -> String {
        func isBlank(_ byte: UInt8) -> Bool {
            byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n")
                || byte == UInt8(ascii: "\r")
        }
        guard let first = bytes.firstIndex(where: { !isBlank($0) }),
              let last = bytes.lastIndex(where: { !isBlank($0) }) else { return "" }
        return String(decoding: bytes[first...last], as: UTF8.self)
    }

    /// A "key value" file (`memory.stat`, `/proc/meminfo` without the unit) as a dictionary.
    static func keyValues(_ path: String) -> [String: UInt64] {
        guard let bytes = bytes(path) else { return [:] }
        return parseKeyValues(bytes)
    }

    /// Parses "key value [unit]" lines; a trailing ':' on the key is dropped (meminfo's style).
    static func parseKeyValues(_ text: String) -> [String: UInt64] {
        parseKeyValues(Array(text.utf8))
    }

    /// The byte-level parser behind `parseKeyValues(_:)`. Housekeeping reads a `memory.stat` of about 40 lines per
    /// container and pause container every pass; splitting it as `String`s (grapheme by grapheme) was a visible
    /// share of the agent's CPU with 110 pods.
    static func parseKeyValues(_ bytes: [UInt8]) -> [String: UInt64] {
        var values: [String: UInt64] = [:]
        let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t"), newline = UInt8(ascii: "\n")
        var index = 0
        let end = bytes.count
        while index < end {
            var lineEnd = index
            while lineEnd < end && bytes[lineEnd] != newline { lineEnd += 1 }
            defer { index = lineEnd + 1 }
            // Key: up to the first blank.
            var keyEnd = index
            while keyEnd < lineEnd && bytes[keyEnd] != space && bytes[keyEnd] != tab { keyEnd += 1 }
            var valueStart = keyEnd
            while valueStart < lineEnd && (bytes[valueStart] == space || bytes[valueStart] == tab) { valueStart += 1 }
            guard keyEnd > index, valueStart < lineEnd else { continue }
            // Value: the field up to the next blank; `UInt64` rejects a minus, non-digits and overflow.
            var valueEnd = valueStart
            while valueEnd < lineEnd && bytes[valueEnd] != space && bytes[valueEnd] != tab { valueEnd += 1 }
            guard let value = UInt64(String(decoding: bytes[valueStart..<valueEnd], as: UTF8.self)) else { continue }
            var keyLast = keyEnd
            if bytes[keyLast - 1] == UInt8(ascii: ":") { keyLast -= 1 }
            guard keyLast > index else { continue }
            values[String(decoding: bytes[index..<keyLast], as: UTF8.self)] = value
        }
        return values
    }

    /// Capacity, availability and inode figures of the filesystem holding `path`.
    static func filesystem(_ path: String, time: String) -> FsStats? {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { return nil }
        let blockSize = UInt64(info.f_frsize)
        var stats = FsStats(time: time)
        stats.capacityBytes = UInt64(info.f_blocks) * blockSize
        stats.availableBytes = UInt64(info.f_bavail) * blockSize
        stats.usedBytes = (UInt64(info.f_blocks) - UInt64(info.f_bfree)) * blockSize
        stats.inodes = UInt64(info.f_files)
        stats.inodesFree = UInt64(info.f_ffree)
        stats.inodesUsed = UInt64(info.f_files) - UInt64(info.f_ffree)
        return stats
    }

    /// `/proc/net/dev` as interface stats, loopback and container-side virtual interfaces left out (kubelet's node
    /// network is the host's real interfaces).
    static func hostInterfaces(procNetDev: String = "/proc/net/dev") -> [InterfaceStats] {
        guard let bytes = bytes(procNetDev) else { return [] }
        return parseNetDev(bytes).filter { interface in
            !(interface.name == "lo" || interface.name.hasPrefix("veth") || interface.name.hasPrefix("cni")
                || interface.name.hasPrefix("docker") || interface.name.hasPrefix("br-"))
        }
    }

    /// Parses `/proc/net/dev`: after "name:" come 8 receive and 8 transmit columns.
    static func parseNetDev(_ text: String) -> [InterfaceStats] {
        parseNetDev(Array(text.utf8))
    }

    /// The byte-level parser behind `parseNetDev(_:)`, read once per pod and pass for pods whose runtime gives no
    /// network figures.
    static func parseNetDev(_ bytes: [UInt8]) -> [InterfaceStats] {
        let space = UInt8(ascii: " "), colon = UInt8(ascii: ":")
        var result: [InterfaceStats] = []
        for line in bytes.split(separator: UInt8(ascii: "\n")) {
            guard let nameEnd = line.firstIndex(of: colon) else { continue }
            let name = String(decoding: line[..<nameEnd].filter { $0 != space }, as: UTF8.self)
            var columns: [UInt64] = []
            columns.reserveCapacity(16)
            for field in line[(nameEnd + 1)...].split(separator: space) {
                guard let value = UInt64(String(decoding: field, as: UTF8.self)) else { break }
                columns.append(value)
            }
            guard !name.isEmpty, columns.count >= 16 else { continue }
            result.append(InterfaceStats(name: name, rxBytes: columns[0], rxErrors: columns[2],
                                         txBytes: columns[8], txErrors: columns[10]))
        }
        return result
    }
}
