// swift-tools-version: 6.2
import PackageDescription

let package = Package(
    name: "heka-swift",
    products: [
        .library(name: "HekaClient", targets: ["HekaClient"]),
        .library(name: "HekaRaven", targets: ["HekaRaven"]),
        .library(name: "Streams", targets: ["Streams"]),
        .library(name: "HekaServiceLifecycle", targets: ["HekaServiceLifecycle"]),
        .library(name: "HekaMetrics", targets: ["HekaMetrics"]),
        .library(name: "HekaLogging", targets: ["HekaLogging"]),
        .library(name: "HekaInputs", targets: ["HekaInputs"]),
        .library(name: "HekaRelay", targets: ["HekaRelay"]),
        .executable(name: "heka", targets: ["heka"]),
        .executable(name: "heka-bench", targets: ["heka-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.28.0"),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        // For the relay's HTTP client only: the core libraries keep their small dependency set.
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // The system layer: the one lock, the clock, the system-call wrapper, sockets.
        // Internal (not a product); nothing else in the package calls libc directly but the
        // benchmark's bare-send floors, which measure exactly that. Its
        // declarations are `public`, not `package`: Swift 6.3's optimiser does not inline a
        // `package` @inlinable body into another module, and the locks on every record's
        // path need that (measured: 260 more instructions per heka() into a debug capture).
        .target(
            name: "HekaPlatform",
            dependencies: [.product(name: "SystemPackage", package: "swift-system")]
        ),
        .target(
            name: "Streams",
            dependencies: [
                "HekaPlatform",
                .product(name: "DequeModule", package: "swift-collections"),
            ]
        ),
        .target(
            name: "HekaClient",
            dependencies: [
                "Streams", "HekaPlatform",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "HekaRaven",
            dependencies: [
                "HekaClient", "HekaPlatform", "CZlib",
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The swift-log handler: its own target, so the core keeps its small dependency set.
        .target(
            name: "HekaLogging",
            dependencies: [
                "HekaClient", "HekaRaven", "Streams",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The swift-metrics backend: Counter/Timer/Recorder/Meter as heka-py's metrics messages.
        .target(
            name: "HekaMetrics",
            dependencies: [
                "HekaClient", "HekaPlatform", "Streams",
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ]
        ),
        // A swift-service-lifecycle Service that flushes and closes a client at shutdown.
        .target(
            name: "HekaServiceLifecycle",
            dependencies: [
                "HekaClient", "Streams", "HekaPlatform",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Heka's inputs: UDP and TCP listeners, files and stdin, decoded by one channel type;
        // `heka cat` and `heka relay` read through them, and applications can embed them.
        .target(
            name: "HekaInputs",
            dependencies: ["HekaClient", "HekaRaven", "HekaPlatform", "Streams"]
        ),
        // SQLite (Debian's libsqlite3-dev) for the relay's spool: the system's library, not a
        // package that compiles its own copy.
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        // `heka relay`: Heka messages to Sentry over HTTP, spooled on disk until accepted.
        .target(
            name: "HekaRelay",
            dependencies: [
                "HekaInputs", "HekaClient", "HekaRaven", "HekaPlatform", "CZlib", "CSQLite",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ]
        ),
        .testTarget(
            name: "HekaRelayTests",
            dependencies: [
                "HekaRelay", "HekaInputs", "HekaClient", "HekaRaven", "HekaPlatform", "Streams", "LoopbackSupport", "CZlib",
                "CSQLite", "HekaMetrics", .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "HekaInputsTests", dependencies: ["HekaInputs", "HekaClient", "Streams", "LoopbackSupport"]),
        .executableTarget(
            name: "heka",
            dependencies: [
                "HekaInputs", "HekaRelay", "HekaClient", "HekaRaven", "Streams", "HekaPlatform",
                "HekaLogging", "HekaMetrics", "HekaServiceLifecycle",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The performance scenarios: `swift run -c release heka-bench`.
        .executableTarget(
            name: "heka-bench",
            dependencies: [
                "HekaClient", "HekaRaven", "Streams", "HekaPlatform",
                "HekaMetrics", .product(name: "CoreMetrics", package: "swift-metrics"),
                "HekaLogging", .product(name: "Logging", package: "swift-log"),
                "HekaInputs", "HekaRelay",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // A program that crashes on purpose (`heka-crasher index`), which the crash-report
        // tests run under Swift's backtracer; built with the tests, found next to them.
        .executableTarget(name: "heka-crasher", path: "Tests/heka-crasher"),
        // Loopback UDP and TCP peers shared by the test targets.
        .target(name: "LoopbackSupport", path: "Tests/LoopbackSupport"),
        .testTarget(
            name: "HekaPlatformTests",
            dependencies: ["HekaPlatform", .product(name: "SystemPackage", package: "swift-system")]
        ),
        .testTarget(name: "StreamsTests", dependencies: ["Streams", "LoopbackSupport"]),
        .testTarget(
            name: "HekaClientTests",
            dependencies: [
                "HekaClient", "Streams", "LoopbackSupport",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            resources: [.copy("Resources")]
        ),
        .testTarget(name: "HekaRavenTests", dependencies: ["HekaRaven", "HekaClient", "Streams", "LoopbackSupport"]),
        .testTarget(
            name: "HekaLoggingTests",
            dependencies: [
                "HekaLogging", "HekaClient", "HekaRaven", "Streams", "LoopbackSupport",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "HekaMetricsTests",
            dependencies: [
                "HekaMetrics", "HekaClient", "Streams", "LoopbackSupport",
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        .testTarget(
            name: "HekaServiceLifecycleTests",
            dependencies: [
                "HekaServiceLifecycle", "HekaClient", "Streams", "LoopbackSupport",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "hekaTests", dependencies: ["heka", "HekaClient", "HekaRaven", "Streams", "LoopbackSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
