import Glibc

/// Text for errno values in error messages.
enum SystemErrorText {
    /// `strerror` text plus the number, e.g. "No such file or directory (errno 2)".
    static func describe(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "errno \(code)" }
        return "\(String(cString: text)) (errno \(code))"
    }
}
