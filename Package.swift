// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "notes",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "notes", targets: ["notes"]),
        .library(name: "NotesCore", targets: ["NotesCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/swiftlang/swift-syntax", from: "603.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
    ],
    targets: [
        // The C library that parses Markdown: Debian's libcmark-gfm-dev and libcmark-gfm-extensions-dev.
        .systemLibrary(
            name: "CCmarkGFM",
            pkgConfig: "libcmark-gfm",
            providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]
        ),
        // Every stage of the pipeline: load, parse, extract, compile, run, check, render, write.
        .target(
            name: "NotesCore",
            dependencies: [
                "CCmarkGFM",
                .product(name: "Yams", package: "Yams"),
                .product(name: "SwiftSyntax", package: "swift-syntax"),
                .product(name: "SwiftParser", package: "swift-syntax"),
                .product(name: "SwiftIDEUtils", package: "swift-syntax"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("Render/Theme")]
        ),
        // `notes serve`: the preview server with live reload, on Hummingbird.
        .target(
            name: "NotesServer",
            dependencies: [
                "NotesCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The thin command line: arguments, printing, exit codes.
        .executableTarget(
            name: "notes",
            dependencies: [
                "NotesCore",
                "NotesServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "NotesCoreTests",
            dependencies: ["NotesCore", "NotesServer"],
            resources: [.copy("Golden")]
        ),
    ]
)
