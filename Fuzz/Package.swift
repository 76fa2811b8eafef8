// swift-tools-version: 6.1
// libFuzzer targets for everything that reads outside input. Built and run by
// scripts/fuzz.sh (with -sanitize=fuzzer,address), never by `swift build` at the root.
import PackageDescription

let targets = ["FuzzRecordDecoder", "FuzzJSONLines", "FuzzINI", "FuzzDSN", "FuzzMatcher"]

let package = Package(
    name: "heka-fuzz",
    dependencies: [.package(name: "heka-swift", path: "..")],
    targets: [.target(name: "FuzzSupport")] + targets.map { name in
        .executableTarget(
            name: name,
            dependencies: [
                "FuzzSupport",
                .product(name: "HekaClient", package: "heka-swift"),
                .product(name: "HekaRaven", package: "heka-swift"),
            ])
    },
    swiftLanguageModes: [.v6]
)
