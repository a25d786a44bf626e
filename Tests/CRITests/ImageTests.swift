import CRI
import Testing

@Suite("CRI images against a real containerd and the local registry")
struct ImageTests {
    @Test("pull from the local registry, then ImageStatus and ListImages see it")
    func pullAndStatus() async throws {
        try await withCRIClient { client, bed in
            let ref = try await client.pullImage(bed.busyboxImage, auth: nil, sandboxConfig: nil)
            let image = try #require(try await client.imageStatus(bed.busyboxImage))
            #expect(image.id == ref)
            #expect(image.repoTags.contains(bed.busyboxImage))
            #expect(image.size > 0)
            #expect(try await client.listImages(filter: nil).contains { $0.id == ref })
            let fs = try await client.imageFsInfo()
            #expect(!fs.imageFilesystems.isEmpty)
        }
    }

    @Test("a missing image: pull fails with notFound and a message naming it; ImageStatus returns nil")
    func missingImage() async throws {
        try await withCRIClient { client, bed in
            let registry = bed.busyboxImage.split(separator: "/").first.map(String.init) ?? "127.0.0.1:5000"
            let missing = "\(registry)/swiftlet-no-such-image:missing"
            let error = await #expect(throws: CRIError.self) {
                _ = try await client.pullImage(missing, auth: nil, sandboxConfig: nil)
            }
            #expect(error?.code == .notFound, "\(String(describing: error))")
            #expect(error?.message.contains("swiftlet-no-such-image") == true)
            let status = try await client.imageStatus(missing)
            #expect(status == nil)
        }
    }
}
