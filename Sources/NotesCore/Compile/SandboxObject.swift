import Foundation

/// `Sandbox/notes_sandbox.c` compiled into an object file that every snippet program links: stdout
/// line-buffered in runs notes starts, and under ThreadSanitizer Mutex's slow paths made visible to it.
/// It confines nothing (notes-launch does). It is compiled afresh into each build's own work folder,
/// never cached: it takes the toolchain's clang 30 ms, and a cached object would be one more file
/// that, once changed, changes every program.
struct SandboxObject: Sendable {
    /// `notes_sandbox.o`, to put on the swiftc command line beside the program's sources.
    var path: String

    static let sourceName = ProgramResource.sandbox.fileName

    /// Compiles the object into `scratch`. `threadSanitizer`: the variant for programs built with it.
    static func prepare(compiler: SwiftCompiler, scratch: URL, threadSanitizer: Bool = false) throws -> SandboxObject {
        let source = try ProgramResource.sandbox.text()
        let directory = scratch.appendingPathComponent(threadSanitizer ? "sandbox-tsan" : "sandbox")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent(sourceName)
        let object = directory.appendingPathComponent("notes_sandbox.o")
        try Data(source.utf8).write(to: file)
        let run = try compiler.run(tool: compiler.cCompiler, flags(threadSanitizer: threadSanitizer) + ["-c", file.path, "-o", object.path],
                                   in: directory)
        guard run.termination == .exited(0) else { throw Diagnostic(file: sourceName, "cannot compile the sandbox: \(run.log)") }
        return SandboxObject(path: object.path)
    }

    /// Position-independent, as it is linked into position-independent executables.
    private static func flags(threadSanitizer: Bool) -> [String] {
        ["-std=c11", "-O2", "-fPIC", "-Wall", "-Werror"] + SandboxVariable.allCases.map(\.macro)
            + (threadSanitizer ? ["-DNOTES_TSAN"] : [])
    }
}
