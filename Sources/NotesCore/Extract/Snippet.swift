import Foundation

/// A `swift run` or `swift setup` block with everything needed to compile, run and check it.
public struct Snippet: Sendable, Identifiable, Encodable {
    /// Stable and unique across the site: from `id=`, or `<page>-<n>`.
    public var id: String
    public var page: String
    /// The note's path as the user names it, for messages.
    public var file: String
    /// File line of the opening fence; the code starts on the next line.
    public var line: Int
    /// File line of the closing fence.
    public var endLine: Int
    public var options: FenceOptions
    public var code: String
    public var recorded: RecordedOutput?
}

/// An ```` ```output ```` block as written in the note.
public struct RecordedOutput: Sendable, Equatable, Encodable {
    public var text: String
    /// File lines of the opening and closing fences.
    public var line: Int
    public var endLine: Int
}

extension [NoteSnippets] {
    /// Each page's setup blocks, by the page's relative path.
    var setupByPage: [String: [Snippet]] { Dictionary(uniqueKeysWithValues: map { ($0.note.source.relativePath, $0.setup) }) }
}

/// All snippets of one note, in page order.
public struct NoteSnippets: Sendable {
    public var note: Note
    public var setup: [Snippet]
    public var runs: [Snippet]
}
