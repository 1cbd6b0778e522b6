/// The source files of one program, exactly as its reader would type them: the snippet (or a session's
/// snippets, in page order) is `main.swift`, and the page's `setup` blocks are `setup.swift`. Nothing is
/// added, wrapped or moved; the only extra lines are `#sourceLocation` directives, so that diagnostics
/// and traps name the Markdown file and line, and in a session one print between its snippets, so that
/// the output can be split per snippet.
public struct ProgramSource: Sendable {
    public struct File: Sendable, Equatable {
        public var name: String
        public var text: String
    }

    public var entry: RunEntry
    /// Swift language mode: 6, or 5 for `swift5` snippets (or the course's `swift-version:`).
    public var swiftVersion: Int
    public var files: [File]

    /// Printed between the snippets of a session, so output can be split per snippet.
    static let marker = "\u{1}notes-snippet-boundary"

    public init(entry: RunEntry, setup: [Snippet], swiftVersion: Int) {
        self.entry = entry
        self.swiftVersion = swiftVersion
        var main = ""
        for (index, snippet) in entry.snippets.enumerated() {
            // `Swift.print`: a snippet may declare a `print` of its own.
            if index > 0 { main += "Swift.print(\"\\u{1}notes-snippet-boundary\")\n" }
            main += Self.located(snippet)
        }
        files = [File(name: "main.swift", text: main)]
        if !setup.isEmpty { files.append(File(name: "setup.swift", text: setup.map(Self.located).joined())) }
    }

    /// A snippet's code placed so that diagnostics and traps name its Markdown file and line.
    static func located(_ snippet: Snippet) -> String {
        let file = snippet.page.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        var code = snippet.code
        if !code.hasSuffix("\n") { code += "\n" }
        return "#sourceLocation(file: \"\(file)\", line: \(snippet.line + 1))\n\(code)#sourceLocation()\n"
    }
}
