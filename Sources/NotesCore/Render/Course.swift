/// The notes in course order, as navigation needs them. `index.md`, when present, is the home page.
public struct Course: Sendable {
    public var title: String
    public var author: String?
    public var home: Note?
    public var lessons: [Note]

    public init(title: String, author: String?, notes: [Note]) {
        self.title = title
        self.author = author
        home = notes.first { $0.source.relativePath == "index.md" }
        lessons = notes.filter { $0.source.relativePath != "index.md" }
            .sorted { ($0.order ?? .max, $0.source.relativePath) < ($1.order ?? .max, $1.source.relativePath) }
    }

    /// Every page in reading order, home first.
    public var pages: [Note] { (home.map { [$0] } ?? []) + lessons }
}
