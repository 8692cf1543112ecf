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
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        // Pure model of the Fetch CORS algorithm: no networking, no file I/O.
        .target(name: "CORSModel"),
        // Case schema, YAML loading with located errors, evaluation against expectations.
        .target(name: "CORSCorpus", dependencies: ["CORSModel", .product(name: "Yams", package: "Yams")]),
        // Pure functions from results to bytes.
        .target(name: "CORSReports", dependencies: ["CORSModel", "CORSCorpus"]),
        // Live modes: the NIO mock server (`serve`) and the AsyncHTTPClient network (`probe`).
        .target(name: "CORSLive", dependencies: [
            "CORSModel", "CORSCorpus",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Yams", package: "Yams"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "cors-harness", dependencies: [
            "CORSModel", "CORSCorpus", "CORSReports", "CORSLive",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "CORSModelTests", dependencies: ["CORSModel"]),
        .testTarget(name: "CORSLiveTests", dependencies: [
            "CORSLive", "CORSCorpus", "CORSModel",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        .testTarget(name: "CORSCorpusTests", dependencies: ["CORSCorpus", "CORSModel", "CORSReports"]),
        // libxml2 for the report tests (parse and XSD-validate junit.xml, parse index.html).
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"]), .brew(["libxml2"])]),
        .testTarget(name: "CORSReportsTests", dependencies: ["CORSReports", "CORSCorpus", "CORSModel", "CLibXML2"], exclude: ["Fixtures"]),
    ]
)
