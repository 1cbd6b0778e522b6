import CCmarkGFM

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
        let tree = MarkdownTree(markdown: note.body)
        var headingAnchors = note.headings.makeIterator()
        // Links first: replacing blocks below frees their inline children.
        for node in tree.nodes() where MarkdownTree.type(node) == CMARK_NODE_LINK {
            MarkdownTree.setURL(node, Self.rewrite(MarkdownTree.url(node)))
        }
        let blocks = tree.nodes().filter { [CMARK_NODE_CODE_BLOCK, CMARK_NODE_HEADING].contains(MarkdownTree.type($0)) }
        for node in blocks {
            let kind = MarkdownTree.type(node)
            let line = MarkdownTree.line(node) + note.bodyLineOffset
            if kind == CMARK_NODE_CODE_BLOCK {
                let info = MarkdownTree.fenceInfo(node)
                let language = info.split(separator: " ").first.map(String.init) ?? ""
                if let report = byLine[line] {
                    tree.replace(node, withHTML: SnippetHTML.snippet(report, root: PageLayout.root(of: note.source.outputPath)))
                } else if recordedLines.contains(line) {
                    tree.remove(node)
                } else {
                    let isSetup = language == "swift" && info.split(separator: " ").contains("setup")
                    tree.replace(node, withHTML: SnippetHTML.code(MarkdownTree.literal(node), language: language,
                                                                  label: isSetup ? "Swift · setup for this page" : nil))
                }
            } else if kind == CMARK_NODE_HEADING, let heading = headingAnchors.next() {
                let level = cmark_node_get_heading_level(node)
                let inner = MarkdownTree.innerHTML(node, tree: tree)
                tree.replace(node, withHTML: "<h\(level) id=\"\(heading.anchor)\">\(inner)<a class=\"anchor\" href=\"#\(heading.anchor)\" aria-label=\"Link to this section\">#</a></h\(level)>")
            }
        }
        var content = tree.html()
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

/// A relative link to another note: `03-locks.md#mutex`.
struct LinkTarget {
    var path: String
    var anchor: String?

    init?(_ url: String) {
        guard !url.contains("://"), !url.hasPrefix("/"), !url.hasPrefix("mailto:") else { return nil }
        let parts = url.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts[0].hasSuffix(".md") else { return nil }
        path = String(parts[0])
        anchor = parts.count > 1 ? String(parts[1]) : nil
    }
}
