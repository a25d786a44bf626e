// swift-tools-version:6.1
// Swiftlet: a Kubernetes node agent that serves its own HTTPS/JSON API and runs pods on containerd over CRI.
import PackageDescription

let package = Package(
    name: "swiftlet",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "swiftlet", targets: ["swiftlet"]),
        .executable(name: "swiftlet-bench", targets: ["swiftlet-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-nio-http2.git", from: "1.36.0"),
        // No traits: the default `BinaryDelimitedStreams` makes SwiftProtobuf import (and link) Foundation proper.
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.28.0", traits: []),
    ],
    targets: [
        // prctl for thread names (variadic, so not callable from Swift), as a C module.
        .systemLibrary(
            name: "CSystemSupport",
            path: "Sources/CSystemSupport"
        ),
        // Small OS-level helpers that Foundation proper would otherwise provide (named threads, whitespace
        // trimming, path names, bounded file reads, file error text, descriptor-based directory walks and disk
        // usage, files pinned by O_PATH, IP literals as socket addresses), so that the agent needs
        // FoundationEssentials only. Knows nothing of HTTP or pods.
        .target(
            name: "SystemSupport",
            dependencies: ["CSystemSupport"]
        ),
        // libevent 2.1 (core, OpenSSL bufferevents, pthreads) and OpenSSL 3, as one C module.
        .systemLibrary(
            name: "CLibevent",
            pkgConfig: "libevent_openssl",
            providers: [.apt(["libevent-dev", "libssl-dev"])]
        ),
        // The HTTPS server: TLS, routing, limits, streaming, WebSocket. Knows nothing of pods.
        .target(
            name: "EventHTTP",
            dependencies: [
                "CLibevent",
                "SystemSupport",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // libyaml 0.2.5 (its event parser and emitter), for KubeTypes' YAML reader and writer.
        .systemLibrary(
            name: "CYAML",
            path: "Sources/CYAML",
            providers: [.apt(["libyaml-dev"])]
        ),
        // Kubernetes v1 types, JSON/YAML codecs, validation, defaulting, selectors.
        .target(
            name: "KubeTypes",
            dependencies: ["CYAML"]
        ),
        // Generated CRI runtime.v1 messages and our own unary gRPC client over HTTP/2 (Wire/), used for
        // containerd's unix socket and the prober's grpc health checks. NIOHPACK decodes response headers.
        .target(
            name: "CRI",
            dependencies: [
                "SystemSupport",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHPACK", package: "swift-nio-http2"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["Generated/README.md"]
        ),
        // A containerd that Swiftlet configures, starts and supervises itself.
        .target(
            name: "ManagedRuntime",
            dependencies: [
                "CRI",
                "SystemSupport",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // zlib, for gzip-compressed rotated container logs (kubelet compresses older rotated files).
        .systemLibrary(
            name: "CZlib",
            path: "Sources/CZlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // Container log files in the CRI format: parsing, tail, since, follow across rotation, rotation itself.
        .target(
            name: "ContainerLogs",
            dependencies: [
                "CZlib",
                "SystemSupport",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // glibc's malloc statistics and trim, for the agent's heap trimmer (<malloc.h> is not in Swift's Glibc).
        .systemLibrary(
            name: "CMalloc",
            path: "Sources/CMalloc"
        ),
        // Pod manager, workers, status, store, images, volumes, logs, stats.
        .target(
            name: "NodeAgent",
            dependencies: [
                "KubeTypes",
                "CRI",
                // The HTTP client of httpGet/tcpSocket probes and httpGet hooks; grpc health checks use CRI's
                // GRPCUnaryClient.
                "EventHTTP",
                "ContainerLogs",
                "CMalloc",
                "SystemSupport",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Interactive exec/attach/port-forward: a WebSocket client to the runtime's stream server and the relay
        // between it and the user's WebSocket. Knows nothing of pods.
        .target(
            name: "StreamBridge",
            dependencies: [
                "CLibevent",
                "EventHTTP",
                "CRI",
                "SystemSupport",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Node and pod stats: a housekeeping loop that caches CRI stats, /proc and cgroup v1 figures (the Summary API).
        .target(
            name: "NodeStats",
            dependencies: [
                "CRI",
                "KubeTypes",
                "SystemSupport",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Prometheus exposition (text 0.0.4 and OpenMetrics) and Swiftlet's kubelet-named instruments.
        .target(
            name: "NodeMetrics",
            dependencies: [
                "CRI",
                "EventHTTP",
                "KubeTypes",
                "NodeAgent",
                "NodeStats",
                "SystemSupport",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // HTTP handlers, authentication and authorization.
        .target(
            name: "NodeAPI",
            dependencies: [
                "NodeStats",
                "NodeMetrics",
                "EventHTTP",
                "StreamBridge",
                "KubeTypes",
                "NodeAgent",
                "ContainerLogs",
                "CRI",
                "SystemSupport",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The executable: flags, config file, managed containerd, signals.
        .executableTarget(
            name: "swiftlet",
            dependencies: [
                "NodeAPI",
                "StreamBridge",
                "NodeAgent",
                "ManagedRuntime",
                "EventHTTP",
                "CRI",
                "KubeTypes",
                "SystemSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Benchmarks that print figures next to a baseline measured in the same run (deploy/bench/ drives them).
        .executableTarget(
            name: "swiftlet-bench",
            dependencies: [
                "CRI",
                "ManagedRuntime",
                // OpenSSL, for the benchmark's keep-alive HTTPS client.
                "CLibevent",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Shared test fixtures: the offline test bed and a managed containerd for integration tests.
        .target(
            name: "TestSupport",
            dependencies: [
                "ManagedRuntime",
                "CRI",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/TestSupport"
        ),
        .testTarget(
            name: "EventHTTPTests",
            dependencies: ["EventHTTP", "CLibevent", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(name: "ContainerLogsTests", dependencies: ["ContainerLogs"]),
        .testTarget(name: "SystemSupportTests", dependencies: ["SystemSupport"]),
        .testTarget(name: "KubeTypesTests", dependencies: ["KubeTypes"], resources: [.copy("Corpus")]),
        .testTarget(name: "CRITests", dependencies: ["CRI", "ManagedRuntime", "SystemSupport", "TestSupport"]),
        .testTarget(name: "ManagedRuntimeTests", dependencies: ["ManagedRuntime", "CRI", "TestSupport"]),
        .testTarget(
            name: "NodeAgentTests",
            dependencies: ["NodeAgent", "KubeTypes", "CRI", "TestSupport", "EventHTTP"]
        ),
        .testTarget(name: "StreamBridgeTests", dependencies: ["StreamBridge", "EventHTTP", "CRI", "ManagedRuntime", "TestSupport"]),
        .testTarget(
            name: "NodeAPITests",
            dependencies: ["NodeAPI", "StreamBridge", "EventHTTP", "KubeTypes", "NodeAgent", "CRI", "TestSupport"]
        ),
        .testTarget(
            name: "NodeMetricsTests",
            dependencies: [
                "NodeMetrics", "NodeStats", "NodeAPI", "NodeAgent", "EventHTTP", "KubeTypes", "CRI", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
