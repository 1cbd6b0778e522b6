/// "On this page": a page's h2 headings with their h3s nested under them. A wide screen shows it
/// beside the article; a narrow one keeps it folded at the top (notes.js opens it when there is room).
enum TableOfContents {
    static func html(_ headings: [Heading]) -> String {
        let entries = headings.filter { (2...3).contains($0.level) }
        // One heading needs no map.
        guard entries.count >= 2 else { return "" }
        var html = "<nav class=\"toc\" aria-label=\"On this page\"><details><summary>On this page</summary><ol>"
        var nested = false
        for (index, heading) in entries.enumerated() {
            let link = "<a href=\"#\(HTML.escape(heading.anchor))\">\(HTML.escape(heading.text))</a>"
            let followsSection = index > 0 && entries[index - 1].level == 2
            if heading.level == 3, followsSection {
                html += "<ol><li>" + link
                nested = true
                continue
            }
            if nested, heading.level == 2 {
                html += "</li></ol>"
                nested = false
            }
            if index > 0 { html += "</li>" }
            html += "<li>" + link
        }
        if nested { html += "</li></ol>" }
        return html + "</li></ol></details></nav>"
    }
}
