import Foundation

/// Source files notes puts into snippet programs, shipped as resources of NotesCore (`Compile/Sandbox`):
/// the sandbox, linked into every program, and `timeline.swift`, compiled into `timeline` snippets
/// and published with the site so that their readers can compile it too.
enum ProgramResource: String, CaseIterable {
    case sandbox = "notes_sandbox.c"
    case timeline = "timeline.swift"

    var fileName: String { rawValue }

    func text() throws -> String {
        let url = URL(fileURLWithPath: fileName)
        guard let found = Bundle.module.url(forResource: url.deletingPathExtension().lastPathComponent,
                                            withExtension: url.pathExtension, subdirectory: "Sandbox"),
              let text = try? String(contentsOf: found, encoding: .utf8) else {
            throw Diagnostic(file: fileName, "\(fileName) is missing from the notes installation")
        }
        return text
    }

    /// A hash of every resource, for cache keys: a result depends on them as on notes' own code.
    static var digest: String {
        allCases.map { (try? $0.text()).map(ContentHash.of) ?? "missing" }.joined(separator: " ")
    }
}
