import Foundation

/// The sandbox (`Sandbox/notes_sandbox.c`) compiled once into an object file that every snippet program
/// links. It is C and runs as a constructor, before `main`, so a snippet's `main.swift` holds nothing
/// but the snippet. With a cache it is kept under a hash of the compiler's version and its source, and
/// checked against a digest before use; without one it is compiled once per run.
struct SandboxObject: Sendable {
    /// `notes_sandbox.o`, to put on the swiftc command line beside the program's sources.
    var path: String

    static let sourceName = ProgramResource.sandbox.fileName

    /// Loads the object from `cache`, or compiles it (into `cache` when there is one, else into `scratch`).
    /// `threadSanitizer`: the variant for programs built with it, which also tells TSan about Mutex's slow paths.
    static func prepare(compiler: SwiftCompiler, compilerVersion: String?, cache: URL?, scratch: URL,
                        threadSanitizer: Bool = false) throws -> SandboxObject {
        let source = try ProgramResource.sandbox.text()
        let flags = flags(threadSanitizer: threadSanitizer)
        guard let cache, let compilerVersion else {
            let directory = scratch.appendingPathComponent(threadSanitizer ? "sandbox-tsan" : "sandbox")
            try compile(source, compiler: compiler, flags: flags, into: directory)
            return SandboxObject(directory: directory)
        }
        var hash = ContentHash()
        hash.add(compilerVersion)
        hash.add(source)
        hash.add(flags.joined(separator: " "))
        let directory = cache.appendingPathComponent("sandbox-" + hash.hex)
        if let found = digest(of: directory),
           found == (try? String(contentsOf: directory.appendingPathComponent("digest"), encoding: .utf8)) {
            return SandboxObject(directory: directory)
        }
        // Built beside its final place and renamed into it, so a parallel or killed run never sees half of it.
        let building = cache.appendingPathComponent(".sandbox-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: building) }
        try compile(source, compiler: compiler, flags: flags, into: building)
        guard let built = digest(of: building) else { throw Diagnostic(file: sourceName, "the compiled sandbox is missing") }
        try Data(built.utf8).write(to: building.appendingPathComponent("digest"))
        try? FileManager.default.removeItem(at: directory)
        if rename(building.path, directory.path) != 0 {
            // Another run put its own in place first: use that one if it is whole, else build one for this run alone.
            return digest(of: directory) == .some(built) ? SandboxObject(directory: directory) : try prepare(
                compiler: compiler, compilerVersion: nil, cache: nil, scratch: scratch, threadSanitizer: threadSanitizer)
        }
        return SandboxObject(directory: directory)
    }

    private init(directory: URL) { path = Self.object(in: directory).path }

    /// Position-independent, as it is linked into position-independent executables.
    private static func flags(threadSanitizer: Bool) -> [String] {
        ["-std=c11", "-O2", "-fPIC", "-Wall", "-Werror"] + SandboxVariable.allCases.map(\.macro)
            + (threadSanitizer ? ["-DNOTES_TSAN"] : [])
    }

    private static func compile(_ source: String, compiler: SwiftCompiler, flags: [String], into directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent(sourceName)
        try Data(source.utf8).write(to: file)
        let run = try compiler.run(tool: compiler.cCompiler, flags + ["-c", file.path, "-o", object(in: directory).path],
                                   in: directory)
        guard run.termination == .exited(0) else { throw Diagnostic(file: sourceName, "cannot compile the sandbox: \(run.log)") }
    }

    private static func object(in directory: URL) -> URL { directory.appendingPathComponent("notes_sandbox.o") }

    /// A hash of the object file; nil when it is missing.
    private static func digest(of directory: URL) -> String? {
        guard let data = FileManager.default.contents(atPath: object(in: directory).path) else { return nil }
        var hash = ContentHash()
        data.withUnsafeBytes { hash.add(bytes: $0) }
        return hash.hex
    }
}
