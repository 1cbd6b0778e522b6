/// A note after parsing: its metadata and the parts of its Markdown later stages need.
public struct Note: Sendable {
    public var source: SourceFile
    public var title: String
    public var order: Int?
    public var desc: String?
    /// The Markdown after the front matter.
    public var body: String
    /// Lines before `body` in the file; cmark's line N is file line N + offset.
    public var bodyLineOffset: Int
    public var codeBlocks: [CodeBlock]
    public var headings: [Heading]
    public var links: [Link]
    /// The text a reader can search, per section; gathered while the Markdown tree is at hand.
    var searchSections: [SearchSection] = []
}

/// A code block as cmark found it. `line` is the file line of its opening fence.
public struct CodeBlock: Sendable, Equatable {
    public var info: FenceInfo
    public var code: String
    public var line: Int
    public var endLine: Int
    public var fenced: Bool
    /// False for a fence that is never closed: CommonMark lets it run to the end of its container.
    public var closed = true

    /// The first word of the info string: `swift` in ```` ```swift run ````.
    public var language: String { info.language }
}

public struct Heading: Sendable, Equatable {
    public var level: Int
    public var text: String
    public var anchor: String
    public var line: Int
}

public struct Link: Sendable, Equatable {
    public var url: String
    public var line: Int
    /// For an image, its alt text (empty when missing); nil for a link.
    public var imageAlt: String? = nil
}
