import Foundation

/// The sandbox (`SandboxSource`) compiled once into a module of its own, which every examples program
/// imports and links. Compiled into each program it cost about 0.4 s of every swiftc run, more than a
/// small program itself, so one edited snippet took twice as long to compile as it needed to.
/// With a cache it is kept under a hash of the compiler's version and its source, and checked against
/// a digest of its files before use; without one it is compiled once per run.
struct SandboxLibrary: Sendable {
    static let moduleName = "NotesSandbox"
    /// Holds `NotesSandbox.swiftmodule` and `NotesSandbox.o`.
    var directory: URL

    /// What an examples compilation adds to use it: where to find the module, and the object to link.
    var compilerArguments: [String] { ["-I", directory.path, Self.object(in: directory).path] }

    /// Loads the library from `cache`, or compiles it (into `cache` when there is one, else into `scratch`).
    static func prepare(compiler: SwiftCompiler, compilerVersion: String?, cache: URL?, scratch: URL) throws -> SandboxLibrary {
        guard let cache, let compilerVersion else {
            let directory = scratch.appendingPathComponent(moduleName)
            try compile(compiler: compiler, into: directory)
            return SandboxLibrary(directory: directory)
        }
        var hash = ContentHash()
        hash.add(compilerVersion)
        hash.add(SandboxSource.text)
        hash.add(flags.joined(separator: " "))
        let directory = cache.appendingPathComponent("sandbox-" + hash.hex)
        if let found = digest(of: directory),
           found == (try? String(contentsOf: directory.appendingPathComponent("digest"), encoding: .utf8)) {
            return SandboxLibrary(directory: directory)
        }
        // Built beside its final place and renamed into it, so a parallel or killed run never sees half of it.
        let building = cache.appendingPathComponent(".sandbox-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: building) }
        try compile(compiler: compiler, into: building)
        guard let built = digest(of: building) else { throw Diagnostic(file: moduleName, "the compiled sandbox is missing") }
        try Data(built.utf8).write(to: building.appendingPathComponent("digest"))
        try? FileManager.default.removeItem(at: directory)
        if rename(building.path, directory.path) != 0 {
            // Another run put its own in place first: use that one if it is whole, else build one for this run alone.
            return digest(of: directory) == .some(built) ? SandboxLibrary(directory: directory) : try prepare(
                compiler: compiler, compilerVersion: nil, cache: nil, scratch: scratch)
        }
        return SandboxLibrary(directory: directory)
    }

    private static let flags = ["-swift-version", "6", "-Onone", "-parse-as-library", "-wmo", "-module-name", moduleName]

    private static func compile(compiler: SwiftCompiler, into directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let source = directory.appendingPathComponent("sandbox.swift")
        try Data(SandboxSource.text.utf8).write(to: source)
        let arguments = flags + ["-emit-module", "-emit-module-path", directory.appendingPathComponent("\(moduleName).swiftmodule").path,
                                 "-c", source.path, "-o", object(in: directory).path]
        let run = try compiler.run(arguments, in: directory)
        guard run.termination == .exited(0) else { throw Diagnostic(file: moduleName, "cannot compile the sandbox: \(run.log)") }
    }

    private static func object(in directory: URL) -> URL { directory.appendingPathComponent("\(moduleName).o") }

    /// A hash of the module and object files; nil when either is missing.
    private static func digest(of directory: URL) -> String? {
        var hash = ContentHash()
        for name in ["\(moduleName).swiftmodule", "\(moduleName).o"] {
            guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent(name).path) else { return nil }
            data.withUnsafeBytes { hash.add(bytes: $0) }
        }
        return hash.hex
    }
}
