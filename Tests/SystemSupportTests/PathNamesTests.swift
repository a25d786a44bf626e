import Foundation
import Testing
@testable import SystemSupport

@Suite struct PathNamesTests {
    @Test(arguments: [
        ("/", "/"),
        ("", ""),
        ("a", ""),
        ("a/", ""),
        ("/a", "/"),
        ("/a/", "/"),
        ("/a/b", "/a"),
        ("/a/b/", "/a"),
        ("a/b", "a"),
        ("a/b/", "a"),
        ("a//b", "a"),
        ("a/b//c", "a/b"),
        ("a//b//c", "a/b"),
        ("//", "/"),
        ("//a", "/"),
        ("///a//b//", "/a"),
        ("./a", "."),
        ("/.", "/"),
        ("..", ""),
        ("/a/../b", "/a/.."),
        ("~/x", "~"),
        ("/var/lib/swiftlet/pods/uid/volumes/x/file", "/var/lib/swiftlet/pods/uid/volumes/x"),
    ])
    func deletingLastComponent(path: String, expected: String) {
        #expect(PathNames.deletingLastComponent(of: path) == expected)
    }

    /// Where Foundation on Linux gives an answer at all (it crashes on one-character relative names and mangles
    /// repeated leading slashes), it is the same.
    @Test(arguments: ["/", "", "/a", "/a/", "/a/b", "/a/b/", "ab", "ab/", "a/b", "a//b", "a/b//c", "./a", "/.", "..",
                      "/a/../b", "~/x", "//a", "/usr/bin/containerd", "abc/def/"])
    func agreesWithFoundation(path: String) {
        #expect(PathNames.deletingLastComponent(of: path) == (path as NSString).deletingLastPathComponent)
    }
}
