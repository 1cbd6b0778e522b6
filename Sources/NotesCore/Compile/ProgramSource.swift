import Foundation

/// The source files of one program, exactly as its reader would type them: the snippet (or a session's
/// snippets, in page order) is `main.swift`, and the page's `setup` blocks are `setup.swift`. Nothing is
/// added, wrapped or moved; the only extra lines are `#sourceLocation` directives, so that diagnostics
/// and traps name the Markdown file and line, and in a session one print between its snippets, so that
/// the output can be split per snippet. A `timeline` snippet's reader compiles `timeline.swift` too.
public struct ProgramSource: Sendable {
    public struct File: Sendable, Equatable {
        public var name: String
        public var text: String
    }

    public var entry: RunEntry
    /// Swift language mode: 6, or 5 for `swift5` snippets (or the course's `swift-version:`).
    public var swiftVersion: Int
    public var instrumentation: Instrumentation
    public var files: [File]

    /// Printed before the `number`th snippet (from 1) of a session, so output can be split per snippet.
    /// It holds a secret of this notes process, so a program can print one only by finding it in its
    /// own memory, and its number, so a boundary printed out of order shows.
    static func boundary(_ number: Int, entry: String) -> String {
        var hash = ContentHash()
        hash.add(boundarySecret)
        hash.add(entry)
        return "\u{1}notes-snippet-boundary \(hash.hex.prefix(24)) \(number)"
    }

    /// Boundaries look alike up to here, so one printed by the program itself can be recognised.
    static let boundaryPrefix = "\u{1}notes-snippet-boundary"

    private static let boundarySecret = UUID().uuidString

    public init(entry: RunEntry, setup: [Snippet], swiftVersion: Int, instrumentation: Instrumentation = Instrumentation(),
                timelineSource: String = "") {
        self.entry = entry
        self.swiftVersion = swiftVersion
        self.instrumentation = instrumentation
        var main = ""
        for (index, snippet) in entry.snippets.enumerated() {
            // `Swift.print`: a snippet may declare a `print` of its own.
            if index > 0 { main += "Swift.print(\"\\u{1}\(Self.boundary(index, entry: entry.id).dropFirst())\")\n" }
            main += Self.located(snippet)
        }
        files = [File(name: "main.swift", text: main)]
        if !setup.isEmpty { files.append(File(name: "setup.swift", text: setup.map(Self.located).joined())) }
        if instrumentation.timeline { files.append(File(name: ProgramResource.timeline.fileName, text: timelineSource)) }
        snippetsByFile = ["main.swift": entry.snippets, "setup.swift": setup]
    }

    private var snippetsByFile: [String: [Snippet]]

    /// A snippet's code placed so that diagnostics and traps name its Markdown file and line.
    static func located(_ snippet: Snippet) -> String {
        "#sourceLocation(file: \"\(fileLiteral(snippet.page))\", line: \(snippet.line + 1))\n\(terminated(snippet.code))#sourceLocation()\n"
    }

    private static func fileLiteral(_ path: String) -> String {
        path.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }

    private static func terminated(_ code: String) -> String { code.hasSuffix("\n") ? code : code + "\n" }

    /// The few messages that name a generated file rather than the Markdown (a note "top-level code
    /// defined in this source file" points at line 1, a `#sourceLocation` line) are put at the Markdown
    /// line of the nearest snippet code: the start of the snippet they fall in or before.
    func locate(_ message: CompilerMessage) -> CompilerMessage {
        guard let snippets = snippetsByFile[message.file], !snippets.isEmpty else { return message }
        var line = 1
        var located = message
        for (index, snippet) in snippets.enumerated() {
            if message.file == "main.swift", index > 0 { line += 1 }  // the boundary print
            let codeLines = Self.terminated(snippet.code).utf8.filter { $0 == UInt8(ascii: "\n") }.count
            let last = line + codeLines + 1  // the closing #sourceLocation()
            if message.line <= last || index == snippets.count - 1 {
                located.file = snippet.page
                located.line = snippet.line + 1 + max(0, min(message.line - line - 1, codeLines - 1))
                return located
            }
            line = last + 1
        }
        return located
    }
}
