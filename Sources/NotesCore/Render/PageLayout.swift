/// The frame around every page: head, sidebar with the lessons, and previous/next links.
struct PageLayout {
    let course: Course

    func page(title: String, outputPath: String, content: String) -> String {
        let root = String(repeating: "../", count: outputPath.split(separator: "/").count - 1)
        let pageTitle = title == course.title ? title : "\(title) · \(course.title)"
        return """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(HTML.escape(pageTitle))</title>
        <link rel="stylesheet" href="\(root)theme.css">
        </head>
        <body>
        <a class="skip" href="#content">Skip to content</a>
        <nav class="sidebar" aria-label="Lessons">
        <a class="course-title" href="\(root)index.html">\(HTML.escape(course.title))</a>
        \(lessonList(current: outputPath, root: root))
        </nav>
        <main id="content">
        <article>
        \(content)
        </article>
        \(pager(current: outputPath, root: root))
        </main>
        </body>
        </html>

        """
    }

    private func lessonList(current: String, root: String) -> String {
        var html = "<ol class=\"lessons\">"
        for lesson in course.lessons {
            let path = lesson.source.outputPath
            let mark = path == current ? " aria-current=\"page\"" : ""
            html += "<li><a href=\"\(root)\(HTML.href(path))\"\(mark)>\(HTML.escape(lesson.title))</a></li>"
        }
        return html + "</ol>"
    }

    private func pager(current: String, root: String) -> String {
        let pages = course.pages
        guard let index = pages.firstIndex(where: { $0.source.outputPath == current }) else { return "" }
        var html = "<nav class=\"pager\" aria-label=\"Previous and next lessons\">"
        if index > 0 {
            let prev = pages[index - 1]
            html += "<a class=\"prev\" rel=\"prev\" href=\"\(root)\(HTML.href(prev.source.outputPath))\">← \(HTML.escape(prev.title))</a>"
        }
        if index + 1 < pages.count {
            let next = pages[index + 1]
            html += "<a class=\"next\" rel=\"next\" href=\"\(root)\(HTML.href(next.source.outputPath))\">\(HTML.escape(next.title)) →</a>"
        }
        return html + "</nav>"
    }
}
