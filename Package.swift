// swift-tools-version: 6.1
import Foundation
import PackageDescription

/// swift-syntax as the toolchain ships it: optimized, with module interfaces, in `lib/swift/host` (the
/// compiler's own copy, for macros). Building it from source was a third of a first build
/// (Benchmarks/depcost.py), and its debug build made highlighting ten times slower than release.
/// Found beside the `swiftc` on the PATH; without it (or with NOTES_SWIFT_SYNTAX=package), the
/// swift-syntax package is built from source as before.
let toolchainSyntax: String? = {
    let environment = ProcessInfo.processInfo.environment
    guard environment["NOTES_SWIFT_SYNTAX"] != "package" else { return nil }
    for folder in (environment["PATH"] ?? "").split(separator: ":") {
        let swiftc = URL(fileURLWithPath: String(folder)).appendingPathComponent("swiftc")
        guard FileManager.default.isExecutableFile(atPath: swiftc.path) else { continue }
        let host = swiftc.resolvingSymlinksInPath().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("lib/swift/host")
        let found = FileManager.default.fileExists(atPath: host.appendingPathComponent("SwiftIDEUtils.swiftmodule").path)
        return found ? host.path : nil
    }
    return nil
}()

let syntaxPackage: [Package.Dependency] = toolchainSyntax != nil ? [] : [
    .package(url: "https://github.com/swiftlang/swift-syntax", from: "603.0.0"),
]
let syntaxProducts: [Target.Dependency] = toolchainSyntax != nil ? [] : [
    .product(name: "SwiftSyntax", package: "swift-syntax"),
    .product(name: "SwiftParser", package: "swift-syntax"),
    .product(name: "SwiftIDEUtils", package: "swift-syntax"),
]
/// Every target that imports NotesCore needs to find the modules NotesCore imports.
let syntaxSwiftSettings: [SwiftSetting] = toolchainSyntax.map { [.unsafeFlags(["-I", $0])] } ?? []
let syntaxLinkerSettings: [LinkerSetting] = toolchainSyntax.map { host in
    [.unsafeFlags(["-L", host, "-Xlinker", "-rpath", "-Xlinker", host]),
     .linkedLibrary("SwiftIDEUtils"), .linkedLibrary("SwiftParser"), .linkedLibrary("SwiftSyntax")]
} ?? []

let package = Package(
    name: "notes",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "notes", targets: ["notes"]),
        .executable(name: "notes-launch", targets: ["notes-launch"]),
        .library(name: "NotesCore", targets: ["NotesCore"]),
    ],
    traits: [
        .trait(name: "Fuzzing", description: "Builds notes-fuzz as a libFuzzer target (Fuzz/run.sh; only that product)."),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        // 0.x: a minor version may break the API, so only patches of 0.27 are taken.
        .package(url: "https://github.com/swhitty/FlyingFox", .upToNextMinor(from: "0.27.1")),
    ] + syntaxPackage,
    targets: [
        // The C library that parses Markdown: Debian's libcmark-gfm-dev and libcmark-gfm-extensions-dev.
        .systemLibrary(
            name: "CCmarkGFM",
            pkgConfig: "libcmark-gfm",
            providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]
        ),
        // SHA-256 for cache keys and shards: the system's libcrypto (Debian's libssl-dev).
        .systemLibrary(
            name: "CCrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        // Every stage of the pipeline: load, parse, extract, compile, run, check, render, write.
        .target(
            name: "NotesCore",
            dependencies: [
                "CCmarkGFM",
                .product(name: "Yams", package: "Yams"),
                "CCrypto",
            ] + syntaxProducts,
            resources: [.copy("Render/Theme"), .copy("Compile/Sandbox"), .copy("Write/Templates")],
            // Coverage for libFuzzer and AddressSanitizer: the code under fuzzing is ours, not the dependencies'.
            swiftSettings: syntaxSwiftSettings + [.unsafeFlags(["-sanitize=fuzzer,address"], .when(traits: ["Fuzzing"]))],
            linkerSettings: syntaxLinkerSettings
        ),
        // `notes serve`: the preview server with live reload, on FlyingSocks (FlyingFox's sockets), and the rebuilder beside it.
        .target(
            name: "NotesServer",
            dependencies: [
                "NotesCore",
                "CCrypto",  // SHA-1 for the live-reload WebSocket's handshake
                .product(name: "FlyingSocks", package: "FlyingFox"),
            ],
            swiftSettings: syntaxSwiftSettings
        ),
        // The thin command line: arguments, printing, exit codes.
        .executableTarget(
            name: "notes",
            dependencies: [
                "NotesCore",
                "NotesServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: syntaxSwiftSettings
        ),
        // The trusted launcher every snippet program is started through: it confines the process (session,
        // descriptors, rlimits, user, Landlock, seccomp from Debian's libseccomp-dev), then executes the program.
        .executableTarget(
            name: "notes-launch",
            cSettings: [.unsafeFlags(["-Wall", "-Werror"])],
            linkerSettings: [.linkedLibrary("seccomp")]
        ),
        // Markdown bytes to HTML (load, parse, extract, render) with arbitrary input: a reproducer
        // (`notes-fuzz FILE...`), or with the Fuzzing trait the libFuzzer target that Fuzz/run.sh runs.
        .executableTarget(
            name: "notes-fuzz",
            dependencies: ["NotesCore"],
            swiftSettings: syntaxSwiftSettings + [
                .define("NOTES_FUZZ", .when(traits: ["Fuzzing"])),
                .enableExperimentalFeature("Extern", .when(traits: ["Fuzzing"])),
                .unsafeFlags(["-sanitize=fuzzer,address"], .when(traits: ["Fuzzing"])),
            ],
            // lld lets SwiftPM's `main` (this target's, which starts libFuzzer) win over libFuzzer's own.
            linkerSettings: [.unsafeFlags(["-sanitize=fuzzer,address", "-use-ld=lld"], .when(traits: ["Fuzzing"]))]
        ),
        .testTarget(
            name: "NotesCoreTests",
            dependencies: ["NotesCore", "NotesServer", .product(name: "Yams", package: "Yams")],
            resources: [.copy("Render/Golden")],
            swiftSettings: syntaxSwiftSettings
        ),
    ]
)
