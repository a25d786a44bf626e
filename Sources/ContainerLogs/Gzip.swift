import Glibc
#if canImport(CZlib)
import CZlib
#endif

/// Whether this build can read and write gzip-compressed rotated logs (it needs the `CZlib` system library
/// target; without it compressed rotated files are reported as unreadable and the rotator keeps rotated files
/// uncompressed).
public enum LogCompression {
    /// True when zlib is linked in.
    public static var isAvailable: Bool {
        #if canImport(CZlib)
        true
        #else
        false
        #endif
    }
}

/// gzip through zlib: whole-file decompression for reading rotated logs, streaming compression for the rotator.
enum Gzip {
    /// Decompresses an entire gzip file (all members). Refuses output beyond `maxBytes`, so a corrupt or hostile
    /// file cannot exhaust memory.
    static func decompress(_ file: LogFile, maxBytes: Int, counter: ReadCounter) throws(ContainerLogError) -> [UInt8] {
        #if canImport(CZlib)
        let size = try file.size()
        guard size <= maxBytes else {
            throw .compression(path: file.path, message: "compressed size \(size) exceeds the \(maxBytes)-byte limit")
        }
        var input = [UInt8](repeating: 0, count: size)
        var filled = 0
        while filled < size {
            let n = try file.read(at: filled, into: &input, range: filled..<size, counter: counter)
            if n == 0 { break }
            filled += n
        }
        return try inflateAll(input[0..<filled], path: file.path, maxBytes: maxBytes)
        #else
        throw .compression(path: file.path, message: "this build has no zlib (CZlib target missing)")
        #endif
    }

    /// Writes `source` compressed to `destination` through `destination + ".tmp"`, fsynced before the rename so
    /// a crash leaves either no `.gz` or a complete one. The source is left in place (the caller unlinks it).
    static func compress(source: String, destination: String) throws(ContainerLogError) {
        #if canImport(CZlib)
        let temporary = destination + ".tmp"
        let input = try LogFile(path: source)
        defer { input.close() }
        let out = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o640)
        guard out >= 0 else { throw .io(operation: "create", path: temporary, errno: errno) }
        var closed = false
        defer {
            if !closed { close(out) }
        }
        do throws(ContainerLogError) {
            try deflateFile(input, to: out, outputPath: temporary)
            guard fsync(out) == 0 else { throw .io(operation: "fsync", path: temporary, errno: errno) }
            closed = true
            guard close(out) == 0 else { throw .io(operation: "close", path: temporary, errno: errno) }
            guard rename(temporary, destination) == 0 else {
                throw .io(operation: "rename to \(destination)", path: temporary, errno: errno)
            }
        } catch {
            unlink(temporary)
            throw error
        }
        #else
        throw .compression(path: source, message: "this build has no zlib (CZlib target missing)")
        #endif
    }

    #if canImport(CZlib)
    private static func inflateAll(_ input: ArraySlice<UInt8>, path: String, maxBytes: Int) throws(ContainerLogError) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(min(maxBytes, input.count * 4))
        var chunk = [UInt8](repeating: 0, count: 256 * 1024)
        var stream = z_stream()
        guard swiftlet_inflate_init_gzip(&stream) == Z_OK else {
            throw .compression(path: path, message: "inflateInit2 failed")
        }
        defer { inflateEnd(&stream) }
        var copy = Array(input)
        let failure: String? = copy.withUnsafeMutableBufferPointer { inBuf in
            chunk.withUnsafeMutableBufferPointer { outBuf in
                stream.next_in = inBuf.baseAddress
                stream.avail_in = UInt32(inBuf.count)
                while true {
                    stream.next_out = outBuf.baseAddress
                    stream.avail_out = UInt32(outBuf.count)
                    let status = inflate(&stream, Z_NO_FLUSH)
                    let produced = outBuf.count - Int(stream.avail_out)
                    guard output.count + produced <= maxBytes else {
                        return "decompressed size exceeds the \(maxBytes)-byte limit"
                    }
                    output.append(contentsOf: UnsafeBufferPointer(rebasing: outBuf[0..<produced]))
                    switch status {
                    case Z_STREAM_END:
                        // Concatenated gzip members are one file (`cat a.gz b.gz`); keep going if input remains.
                        if stream.avail_in == 0 { return nil }
                        guard inflateReset(&stream) == Z_OK else { return "inflateReset failed" }
                    case Z_OK:
                        continue
                    case Z_BUF_ERROR:
                        if stream.avail_in == 0 { return "truncated gzip data" }
                    default:
                        let message = stream.msg.map { String(cString: $0) } ?? "status \(status)"
                        return "corrupt gzip data: \(message)"
                    }
                }
            }
        }
        if let failure { throw .compression(path: path, message: failure) }
        return output
    }

    private static func deflateFile(_ input: LogFile, to out: Int32, outputPath: String) throws(ContainerLogError) {
        var stream = z_stream()
        guard swiftlet_deflate_init_gzip(&stream, Z_DEFAULT_COMPRESSION) == Z_OK else {
            throw .compression(path: outputPath, message: "deflateInit2 failed")
        }
        defer { deflateEnd(&stream) }
        let blockSize = 256 * 1024
        var inBlock = [UInt8](repeating: 0, count: blockSize)
        var outBlock = [UInt8](repeating: 0, count: blockSize)
        var offset = 0
        let counter = ReadCounter()
        while true {
            let n = try input.read(at: offset, into: &inBlock, range: 0..<blockSize, counter: counter)
            offset += n
            let flush = n == 0 ? Z_FINISH : Z_NO_FLUSH
            var status = Z_OK
            let writeError: Int32? = inBlock.withUnsafeMutableBufferPointer { inBuf in
                outBlock.withUnsafeMutableBufferPointer { outBuf in
                    stream.next_in = inBuf.baseAddress
                    stream.avail_in = UInt32(n)
                    repeat {
                        stream.next_out = outBuf.baseAddress
                        stream.avail_out = UInt32(outBuf.count)
                        status = deflate(&stream, flush)
                        let produced = outBuf.count - Int(stream.avail_out)
                        if let code = writeAll(out, UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: outBuf[0..<produced]))) {
                            return code
                        }
                    } while stream.avail_out == 0
                    return nil
                }
            }
            if let writeError { throw .io(operation: "write", path: outputPath, errno: writeError) }
            if status == Z_STREAM_END { return }
            guard status == Z_OK || status == Z_BUF_ERROR else {
                throw .compression(path: outputPath, message: "deflate failed with status \(status)")
            }
        }
    }

    /// Writes every byte, retrying short writes and EINTR; returns errno on failure.
    private static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32? {
        var done = 0
        while done < bytes.count {
            let n = write(fd, bytes.baseAddress.map { $0 + done }, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                return errno
            }
            done += n
        }
        return nil
    }
    #endif
}
