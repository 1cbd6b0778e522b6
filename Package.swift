// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "notes",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "notes", targets: ["notes"]),
        .library(name: "NotesCore", targets: ["NotesCore"]),
    ],
    traits: [
        .trait(name: "Fuzzing", description: "Builds notes-fuzz as a libFuzzer target (Fuzz/run.sh; only that product)."),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/swiftlang/swift-syntax", from: "603.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
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
            resources: [.copy("Render/Theme"), .copy("Compile/Sandbox")],
            // Coverage for libFuzzer and AddressSanitizer: the code under fuzzing is ours, not the dependencies'.
            swiftSettings: [.unsafeFlags(["-sanitize=fuzzer,address"], .when(traits: ["Fuzzing"]))]
        ),
        // `notes serve`: the preview server with live reload, on Hummingbird, and the rebuilder beside it
        // in one swift-service-lifecycle service group.
        .target(
            name: "NotesServer",
            dependencies: [
                "NotesCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
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
        // Markdown bytes to HTML (load, parse, extract, render) with arbitrary input: a reproducer
        // (`notes-fuzz FILE...`), or with the Fuzzing trait the libFuzzer target that Fuzz/run.sh runs.
        .executableTarget(
            name: "notes-fuzz",
            dependencies: ["NotesCore"],
            swiftSettings: [
                .define("NOTES_FUZZ", .when(traits: ["Fuzzing"])),
                .enableExperimentalFeature("Extern", .when(traits: ["Fuzzing"])),
                .unsafeFlags(["-sanitize=fuzzer,address"], .when(traits: ["Fuzzing"])),
            ],
            // lld lets SwiftPM's `main` (this target's, which starts libFuzzer) win over libFuzzer's own.
            linkerSettings: [.unsafeFlags(["-sanitize=fuzzer,address", "-use-ld=lld"], .when(traits: ["Fuzzing"]))]
        ),
        .testTarget(
            name: "NotesCoreTests",
            dependencies: ["NotesCore", "NotesServer"],
            resources: [.copy("Render/Golden")]
        ),
    ]
)
