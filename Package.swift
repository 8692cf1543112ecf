// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "cors-harness",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "CORSModel", targets: ["CORSModel"]),
        .library(name: "CORSCorpus", targets: ["CORSCorpus"]),
        .library(name: "CORSReports", targets: ["CORSReports"]),
        .executable(name: "cors-harness", targets: ["cors-harness"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // Pure model of the Fetch CORS algorithm: no networking, no file I/O.
        .target(name: "CORSModel"),
        // Case schema, YAML loading with located errors, evaluation against expectations.
        .target(name: "CORSCorpus", dependencies: ["CORSModel", .product(name: "Yams", package: "Yams")]),
        // Pure functions from results to bytes.
        .target(name: "CORSReports", dependencies: ["CORSModel", "CORSCorpus"]),
        .executableTarget(name: "cors-harness", dependencies: [
            "CORSModel", "CORSCorpus", "CORSReports",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "CORSModelTests", dependencies: ["CORSModel"]),
        .testTarget(name: "CORSCorpusTests", dependencies: ["CORSCorpus", "CORSModel", "CORSReports"]),
    ]
)
