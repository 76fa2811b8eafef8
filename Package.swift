// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "heka-swift",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "HekaClient", targets: ["HekaClient"]),
        .library(name: "HekaRaven", targets: ["HekaRaven"]),
        .library(name: "Streams", targets: ["Streams"]),
        .executable(name: "heka", targets: ["heka"]),
        .executable(name: "heka-bench", targets: ["heka-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.28.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(name: "Streams"),
        .target(
            name: "HekaClient",
            dependencies: [
                "Streams",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "HekaRaven",
            dependencies: [
                "HekaClient", "CZlib",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .executableTarget(
            name: "heka",
            dependencies: [
                "HekaClient", "HekaRaven", "Streams",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The performance scenarios: `swift run -c release heka-bench`.
        .executableTarget(
            name: "heka-bench",
            dependencies: [
                "HekaClient", "HekaRaven", "Streams",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Loopback UDP and TCP peers shared by the test targets.
        .target(name: "LoopbackSupport", path: "Tests/LoopbackSupport"),
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
        .testTarget(name: "hekaTests", dependencies: ["heka", "HekaClient", "HekaRaven", "Streams", "LoopbackSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
