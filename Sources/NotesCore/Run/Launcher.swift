import Foundation

/// `notes-launch` (Sources/notes-launch/launch.c): the trusted program every snippet run starts
/// through. It is built and installed with notes, beside its binary, so it is exactly as trusted as
/// notes itself and lives where no snippet may write; nothing is compiled or cached for it at run time.
public struct Launcher: Sendable, Equatable {
    public var path: String

    public init(path: String) { self.path = path }

    /// Beside the running executable (`.build/debug/notes`, an installed `lib/notes/notes`, or the test
    /// bundle in `.build/debug`), found through the resolved `/proc/self/exe`.
    public static func beside() throws -> Launcher {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let path = executable.deletingLastPathComponent().appendingPathComponent("notes-launch").path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw Diagnostic(file: "notes", "notes-launch is missing beside \(executable.path): build it with `swift build`, or install notes with ./install.sh")
        }
        return Launcher(path: path)
    }

    /// The launcher's command line for `program` under `settings` (`cpu-seconds=12`, …).
    func command(_ program: String, _ arguments: [String] = [], settings: [String]) -> [String] {
        settings + ["--", program] + arguments
    }
}
