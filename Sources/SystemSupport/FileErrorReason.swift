import FoundationEssentials
import Glibc

/// The reason a file operation failed, as one short phrase for messages such as
/// `cannot create directory /x: Permission denied`.
///
/// Why: FoundationEssentials' `FileManager`, `Data.write` and `String(contentsOfFile:)` throw `CocoaError`s whose
/// `localizedDescription` exists only in Foundation proper, and whose plain description is a struct dump. The
/// `errno` underneath is what an operator can act on.
public enum FileErrorReason {
    /// `strerror` of the `errno` that `error` carries (directly or as a `CocoaError`'s underlying error); for
    /// text that is not in the encoding it was read with, saying so; otherwise the error's own description.
    public static func describe(_ error: any Error) -> String {
        if let posix = error as? POSIXError { return text(posix.code.rawValue) }
        if let cocoa = error as? CocoaError {
            if let posix = cocoa.underlying as? POSIXError { return text(posix.code.rawValue) }
            if cocoa.code == .fileReadCorruptFile || cocoa.code == .fileReadInapplicableStringEncoding {
                // What String(contentsOfFile:encoding:) throws for bytes that are not in that encoding.
                return "not valid text in the requested encoding"
            }
            if cocoa.code == .fileNoSuchFile || cocoa.code == .fileReadNoSuchFile { return text(ENOENT) }
            if cocoa.code == .fileReadNoPermission || cocoa.code == .fileWriteNoPermission { return text(EACCES) }
        }
        return "\(error)"
    }

    private static func text(_ code: Int32) -> String {
        strerror(code).map { String(cString: $0) } ?? "error \(code)"
    }
}
