import Foundation

/// The tools the run stage uses to explain a run, besides running it: gdb for a hung program's
/// threads, and the toolchain's symbolizer and demangler for them and for ThreadSanitizer's reports.
public struct RunTools: Sendable {
    var symbols: Symbols
    /// gdb, from PATH; nil when it is not installed (`./setup.sh` installs it).
    var debugger: String?
    /// What every program starts through; an error when it is missing from the installation.
    var launcher: Result<Launcher, Diagnostic>
    /// The toolchain's `usr` folder, which programs read (the Swift runtime) beside the system's folders.
    var toolchain: String?

    public init(compiler: SwiftCompiler = SwiftCompiler(), launcher: Launcher? = nil) {
        symbols = Symbols(compiler: compiler)
        self.launcher = launcher.map { .success($0) } ?? Result { try Launcher.beside() }.mapError { $0 as? Diagnostic ?? Diagnostic(file: "notes", "\($0)") }
        toolchain = compiler.toolchainRoot
        let gdb = SwiftCompiler.find("gdb")
        debugger = FileManager.default.isExecutableFile(atPath: gdb) ? gdb : nil
    }
}
