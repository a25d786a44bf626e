import Foundation
import Testing
import SystemSupport

@Suite struct DiskUsageTests {
    @Test func countsBlocksAndInodesHardLinksOnceAndStopsAtItsLimit() throws {
        let root = "/tmp/systemsupport-du-\(UUID().uuidString)"
        let fm = FileManager.default
        try fm.createDirectory(atPath: root + "/sub", withIntermediateDirectories: true)
        defer { try? fm.removeItem(atPath: root) }
        // 64 KiB of real data (allocated blocks), linked twice; a symbolic link to it.
        #expect(fm.createFile(atPath: root + "/sub/data", contents: Data(repeating: 7, count: 65_536)))
        #expect(link(root + "/sub/data", root + "/again") == 0)
        try fm.createSymbolicLink(atPath: root + "/alias", withDestinationPath: root + "/sub/data")

        let figures = try #require(DiskUsage.measure(root))
        #expect(figures.complete)
        #expect(figures.inodes == 4, "root, sub, data (once for its two names), alias")
        #expect(figures.bytes >= 65_536 && figures.bytes < 2 * 65_536, "\(figures.bytes)")

        let bounded = try #require(DiskUsage.measure(root, limit: 1))
        #expect(!bounded.complete && bounded.inodes == 2)
        #expect(DiskUsage.measure(root + "/missing") == nil)
    }

    @Test func sameFilesystemLeavesOutWhatIsMountedBelow() throws {
        guard getuid() == 0 else { return }  // mounting needs root; the test suite runs as root
        let root = "/tmp/systemsupport-du-mount-\(UUID().uuidString)"
        let fm = FileManager.default
        try fm.createDirectory(atPath: root + "/mnt", withIntermediateDirectories: true)
        defer { try? fm.removeItem(atPath: root) }
        #expect(mount("tmpfs", root + "/mnt", "tmpfs", 0, "size=4m") == 0)
        defer { umount2(root + "/mnt", Int32(MNT_DETACH)) }
        #expect(fm.createFile(atPath: root + "/mnt/inside", contents: Data(repeating: 1, count: 8_192)))
        let all = try #require(DiskUsage.measure(root))
        let own = try #require(DiskUsage.measure(root, sameFilesystem: true))
        #expect(all.inodes == own.inodes + 1, "the tmpfs's file is counted only without sameFilesystem")
    }
}
