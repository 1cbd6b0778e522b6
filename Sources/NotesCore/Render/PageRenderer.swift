/// Render stage: a note and its snippet reports in, the page's HTML out.
public struct PageRenderer: Sendable {
    public let course: Course
    private let layout: PageLayout

    public init(course: Course) {
        self.course = course
        layout = PageLayout(course: course)
    }

    /// A built page: where it goes and what it holds.
    public struct Page: Sendable {
        public var path: String
        public var html: String
    }

    public func render(_ note: Note, reports: [SnippetReport]) -> Page {
        let byLine = Dictionary(reports.map { ($0.snippet.line, $0) }, uniquingKeysWith: { a, _ in a })
        let recordedLines = Set(reports.compactMap { $0.snippet.recorded?.line })
        let headings = Dictionary(note.headings.map { ($0.line, $0) }, uniquingKeysWith: { a, _ in a })
        let root = PageLayout.root(of: note.source.outputPath)
        var content = Markdown.html(note.body, link: Self.rewrite) { node, innerHTML in
            let line = node.line + note.bodyLineOffset
            switch node.kind {
            case .codeBlock(let block):
                if let report = byLine[line] { return .html(SnippetHTML.snippet(report, root: root)) }
                if recordedLines.contains(line) { return .remove }
                let isSetup = block.info.language == "swift" && block.info.words.contains("setup")
                return .html(SnippetHTML.code(block.literal, language: block.info.language,
                                              label: isSetup ? "Swift · setup for this page" : nil))
            case .heading(let level):
                guard let heading = headings[line] else { return .keep }
                return .html("<h\(level) id=\"\(heading.anchor)\">\(innerHTML())<a class=\"anchor\" href=\"#\(heading.anchor)\" aria-label=\"Link to this section\">#</a></h\(level)>")
            default:
                return .keep
            }
        }
        // Every page opens with one h1, so the outline screen readers announce starts at the top.
        if !note.headings.contains(where: { $0.level == 1 }) {
            content = "<h1>\(HTML.escape(note.title))</h1>\n" + content
        }
        if note.source.relativePath == "index.md" { content += lessonIndex() }
        return Page(path: note.source.outputPath, html: layout.page(
            title: note.title, outputPath: note.source.outputPath, content: content, headings: note.headings))
    }

    /// The home page when the course has no `index.md`.
    public func renderGeneratedIndex() -> Page {
        let content = "<h1>\(HTML.escape(course.title))</h1>" + lessonIndex()
        return Page(path: "index.html", html: layout.page(title: course.title, outputPath: "index.html", content: content))
    }

    private func lessonIndex() -> String {
        var html = "<ol class=\"lesson-index\">"
        for lesson in course.lessons {
            html += "<li><a href=\"\(HTML.href(lesson.source.outputPath))\">\(HTML.escape(lesson.title))</a>"
            if let desc = lesson.desc, !desc.isEmpty { html += "<p>\(HTML.escape(desc))</p>" }
            html += "</li>"
        }
        return html + "</ol>"
    }

    /// Links to other notes are written to their `.md` files; the site has `.html` pages.
    static func rewrite(_ url: String) -> String {
        guard let target = LinkTarget(url) else { return url }
        return String(target.path.dropLast(3)) + ".html" + (target.anchor.map { "#\($0)" } ?? "")
    }
}
