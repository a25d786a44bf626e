import Testing

@testable import CRI

@Suite("CRI endpoint parsing")
struct CRIEndpointTests {
    @Test("unix:// URLs and absolute paths name a socket")
    func accepted() throws {
        #expect(try CRIEndpoint(parsing: "unix:///run/containerd/containerd.sock").socketPath
            == "/run/containerd/containerd.sock")
        #expect(try CRIEndpoint(parsing: "/tmp/x.sock").socketPath == "/tmp/x.sock")
        #expect(try CRIEndpoint(parsing: "  unix:///a/b.sock\n").socketPath == "/a/b.sock")
        #expect(try CRIEndpoint(parsing: "/tmp/x.sock").description == "unix:///tmp/x.sock")
    }

    @Test("TCP, relative and empty endpoints are refused with invalidArgument",
          arguments: ["", "tcp://127.0.0.1:1234", "unix://relative.sock", "containerd.sock", "unix://", "npipe:////./pipe/x"])
    func refused(endpoint: String) {
        #expect {
            try CRIEndpoint(parsing: endpoint)
        } throws: { error in
            (error as? CRIError)?.code == .invalidArgument
        }
    }

    @Test("the client refuses a bad endpoint at init, before any connection")
    func clientInitRefuses() {
        #expect(throws: CRIError.self) {
            try GRPCContainerRuntime(endpoint: "tcp://localhost:1", logger: .init(label: "test"))
        }
    }
}
