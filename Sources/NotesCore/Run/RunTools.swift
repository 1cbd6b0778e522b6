import Foundation

/// The tools the run stage uses to explain a run, besides running it: gdb for a hung program's
/// threads, and the toolchain's symbolizer and demangler for them and for ThreadSanitizer's reports.
public struct RunTools: Sendable {
    var symbols: Symbols
    /// gdb, from PATH; nil when it is not installed (`./setup.sh` installs it).
    var debugger: String?

    public init(compiler: SwiftCompiler = SwiftCompiler()) {
        symbols = Symbols(compiler: compiler)
        let gdb = SwiftCompiler.find("gdb")
        debugger = FileManager.default.isExecutableFile(atPath: gdb) ? gdb : nil
    }
}
