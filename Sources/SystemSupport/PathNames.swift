/// Path-name arithmetic on strings, for the places that build paths as text.
public enum PathNames {
    /// The directory part of `path`, with the meaning of Foundation's `NSString.deletingLastPathComponent`:
    /// `/a/b` → `/a`, `/a/b/` → `/a`, `/a` → `/`, `/` → `/`, `a` → `""`, `""` → `""`. Repeated slashes count as
    /// one and are written as one (`a//b//c` → `a/b`).
    ///
    /// Unlike POSIX `dirname`, a bare name has no directory (`""`, not `"."`), so callers that open the result
    /// map `""` to `"."` themselves. Unlike Foundation on Linux (swift-corelibs-foundation 6.3), a one-character
    /// name such as `a` or `a/` does not crash, `//` gives `/` rather than `""`, and `///a//b//` gives `/a`
    /// rather than `/a/`.
    public static func deletingLastComponent(of path: String) -> String {
        let isAbsolute = path.hasPrefix("/")
        let components = path.split(separator: "/", omittingEmptySubsequences: true)
        let parent = components.dropLast().joined(separator: "/")
        if isAbsolute { return "/" + parent }
        return parent
    }
}
