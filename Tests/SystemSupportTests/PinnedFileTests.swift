import Foundation
import Testing
import SystemSupport

@Suite struct PinnedFileTests {
    @Test func changesGoToThePinnedInodeEvenAfterItsNameIsSwappedForALink() throws {
        let root = "/tmp/systemsupport-pinned-\(UUID().uuidString)"
        let fm = FileManager.default
        try fm.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? fm.removeItem(atPath: root) }
        #expect(fm.createFile(atPath: root + "/file", contents: Data("x".utf8), attributes: [.posixPermissions: 0o600]))
        #expect(fm.createFile(atPath: root + "/victim", contents: Data("y".utf8), attributes: [.posixPermissions: 0o600]))

        let pinned = try #require(PinnedFile(in: AT_FDCWD, name: root + "/file"))
        #expect(!pinned.isSymbolicLink && pinned.info.st_size == 1)
        // The name now leads elsewhere; the pinned inode lives on under another name.
        try fm.moveItem(atPath: root + "/file", toPath: root + "/file.moved")
        try fm.createSymbolicLink(atPath: root + "/file", withDestinationPath: root + "/victim")
        #expect(pinned.changeMode(to: 0o640) == nil)
        #expect(pinned.changeGroup(to: gid_t(4321)) == nil)

        func status(_ path: String) -> stat {
            var info = stat()
            _ = lstat(path, &info)
            return info
        }
        #expect(status(root + "/file.moved").st_mode & 0o7777 == 0o640)
        #expect(status(root + "/file.moved").st_gid == 4321)
        #expect(status(root + "/victim").st_mode & 0o7777 == 0o600, "the change followed the link")
        #expect(status(root + "/victim").st_gid != 4321)

        let link = try #require(PinnedFile(in: AT_FDCWD, name: root + "/file"))
        #expect(link.isSymbolicLink, "a final link is pinned itself, not followed")
        #expect(PinnedFile(in: AT_FDCWD, name: root + "/missing") == nil)
    }
}
