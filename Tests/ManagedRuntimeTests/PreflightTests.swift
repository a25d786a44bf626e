import Foundation
import ManagedRuntime
import Testing

/// Missing binaries give one clear error that names the Debian packages.
@Suite struct PreflightTests {
    @Test func thisMachineHasEverything() throws {
        let tools = try Preflight.check()
        #expect(tools.containerd.hasSuffix("/containerd"))
        #expect(tools.runc.hasSuffix("/runc"))
        #expect(tools.cniBinDirectory == "/usr/lib/cni")
    }

    @Test func missingContainerdNamesThePackage() throws {
        let failure = #expect(throws: Preflight.Failure.self) {
            try Preflight.check(containerdBinary: "/nonexistent/containerd")
        }
        let message = try #require(failure).description
        #expect(message.contains("/nonexistent/containerd"))
        #expect(message.contains("apt-get install containerd"))
        #expect(failure?.debianPackages == ["containerd"])
    }

    @Test func missingCNIPluginsNameTheirPackage() throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("swl-nocni-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: empty) }
        let failure = #expect(throws: Preflight.Failure.self) {
            try Preflight.check(cniBinDirectory: empty)
        }
        let message = try #require(failure).description
        #expect(message.contains("bridge, host-local, loopback, portmap"))
        #expect(message.contains("containernetworking-plugins"))

        // With no $PATH at all, containerd and runc are still found in the usual sbin/bin dirs.
        let fallback = try Preflight.check(environment: [:])
        #expect(["/usr/local/sbin/runc", "/usr/local/bin/runc", "/usr/sbin/runc", "/usr/bin/runc"].contains(fallback.runc))
    }

    @Test func startWithAMissingBinaryFailsBeforeWritingAnything() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("swl-pre-\(UUID().uuidString.prefix(8))").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let managed = ManagedContainerd(
            configuration: .init(rootDirectory: root, containerdBinary: "/nonexistent/bin/containerd"),
            logger: .init(label: "test"))
        let failure = await #expect(throws: Preflight.Failure.self) { try await managed.start() }
        #expect(failure?.description.contains("apt-get install containerd") == true)
        #expect(!FileManager.default.fileExists(atPath: root + "/containerd"))
        #expect(await managed.processID == nil)
    }
}
