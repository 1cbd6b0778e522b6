import Foundation

/// One program run: a single snippet, or the snippets of a `session=` run as one program in page order.
public struct RunEntry: Sendable, Identifiable {
    /// A snippet's id, or `<page>:session:<name>` for a session.
    public var id: String
    public var snippets: [Snippet]
    public var page: String

    /// The snippet whose fence says how the run must end: the last one of a session.
    public var last: Snippet { snippets[snippets.count - 1] }
    public var swift5: Bool { last.options.swift5 }
    public var serial: Bool { snippets.contains { $0.options.serial } }
    public var repeatCount: Int { last.options.repeatCount }
    public var expectation: FenceOptions.Expectation { last.options.expectation }

    /// The language mode it compiles in: 5 for `swift5`, else the course's.
    func swiftVersion(course: Int) -> Int { swift5 ? 5 : course }

    func timeout(default seconds: Int) -> Double {
        snippets.reduce(0) { $0 + ($1.options.timeout ?? Double(seconds)) }
    }

    /// Groups a page's `run` snippets into entries: one per snippet, one per session.
    static func entries(for page: NoteSnippets) -> [RunEntry] {
        var entries: [RunEntry] = []
        var sessionIndex: [String: Int] = [:]
        for snippet in page.runs {
            guard let session = snippet.options.session else {
                entries.append(RunEntry(id: snippet.id, snippets: [snippet], page: page.note.source.relativePath))
                continue
            }
            if let index = sessionIndex[session] {
                entries[index].snippets.append(snippet)
            } else {
                sessionIndex[session] = entries.count
                entries.append(RunEntry(id: "\(page.note.source.slug):session:\(session)", snippets: [snippet],
                                        page: page.note.source.relativePath))
            }
        }
        return entries
    }
}
