/// The frame around every page: head, sidebar with the lessons, and previous/next links.
/// Built once per site: the lesson list is the same on every page but for the current mark and the
/// path back to the root, so its items are encoded once, not once per page (1000 × 1000 at 1000 lessons).
struct PageLayout: Sendable {
    let course: Course
    /// Per page in reading order: its output path, its encoded href, and its escaped title.
    private let links: [(path: String, href: String, title: String)]
    private let place: [String: Int]
    private let lessonCount: Int

    init(course: Course) {
        self.course = course
        links = course.pages.map { ($0.source.outputPath, HTML.href($0.source.outputPath), HTML.escape($0.title)) }
        place = Dictionary(links.enumerated().map { ($1.path, $0) }, uniquingKeysWith: { first, _ in first })
        lessonCount = course.lessons.count
    }

    /// The path from a page back to the site's root: `../` per folder it is in.
    static func root(of outputPath: String) -> String {
        String(repeating: "../", count: outputPath.split(separator: "/").count - 1)
    }

    /// `headings` feed the page's table of contents; the generated home page has none.
    func page(title: String, outputPath: String, content: String, headings: [Heading] = []) -> String {
        let root = Self.root(of: outputPath)
        let pageTitle = title == course.title ? title : "\(title) · \(course.title)"
        return """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(HTML.escape(pageTitle))</title>
        <link rel="stylesheet" href="\(root)theme.css">
        <script src="\(root)notes.js"></script>
        </head>
        <body data-root="\(root)">
        <a class="skip" href="#content">Skip to content</a>
        <nav class="sidebar" aria-label="Lessons">
        <div class="sidebar-head"><a class="course-title" href="\(root)index.html">\(HTML.escape(course.title))</a>\(Self.menuToggle)\(Self.themeToggle)</div>
        \(Self.search)
        \(lessonList(current: outputPath, root: root))
        </nav>
        <main id="content">
        \(TableOfContents.html(headings))
        <article>
        \(content)
        </article>
        \(pager(current: outputPath, root: root))
        </main>
        </body>
        </html>

        """
    }

    // The controls need notes.js, which unhides them; without it they would be dead buttons.
    // The menu button shows only on narrow screens, where it folds the lesson list away.
    private static let menuToggle = """
        <button class="menu-toggle" type="button" aria-expanded="false" aria-controls="lesson-list" hidden>Lessons</button>
        """

    private static let themeToggle = """
        <button class="theme-toggle" type="button" aria-label="Dark theme" aria-pressed="false" \
        title="Switch between light and dark (remembered)" hidden>☾</button>
        """

    private static let search = """
        <div class="search" role="search" hidden><input type="search" id="search-input" \
        placeholder="Search the notes  ( / )" aria-label="Search the notes" aria-describedby="search-status" \
        autocomplete="off" spellcheck="false"><p class="search-status" id="search-status" aria-live="polite"></p>\
        <ol class="search-results" id="search-results"></ol></div>
        """

    private func lessonList(current: String, root: String) -> String {
        var html = "<ol class=\"lessons\" id=\"lesson-list\">"
        html.reserveCapacity(lessonCount * (root.utf8.count + 64))
        for link in links.suffix(lessonCount) {
            let mark = link.path == current ? " aria-current=\"page\"" : ""
            html += "<li><a href=\"\(root)\(link.href)\"\(mark)>\(link.title)</a></li>"
        }
        return html + "</ol>"
    }

    private func pager(current: String, root: String) -> String {
        guard let index = place[current] else { return "" }
        var html = "<nav class=\"pager\" aria-label=\"Previous and next lessons\">"
        if index > 0 {
            let prev = links[index - 1]
            html += "<a class=\"prev\" rel=\"prev\" href=\"\(root)\(prev.href)\">← \(prev.title)</a>"
        }
        if index + 1 < links.count {
            let next = links[index + 1]
            html += "<a class=\"next\" rel=\"next\" href=\"\(root)\(next.href)\">\(next.title) →</a>"
        }
        return html + "</nav>"
    }
}
