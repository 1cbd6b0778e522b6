/// The site's full-text search index: one entry per section of each page (`SearchSection`, gathered
/// by the parser).
public enum SearchIndex {
    /// `search-index.js`: a script, not JSON, because a page opened from disk may load a script
    /// but not fetch a file. Pages are listed once and sections point at them by number.
    /// Each page's sections were gathered when it was parsed (`Note.searchSections`).
    public static func script(for course: Course) -> String {
        let pages = course.pages
        var js = "window.NOTES_SEARCH={\"pages\":["
        js += pages.map { "[\(string($0.title)),\(string($0.source.outputPath))]" }.joined(separator: ",")
        js += "],\"sections\":[\n"
        js += pages.enumerated().flatMap { page, note in
            note.searchSections.map { "[\(page),\(string($0.heading)),\(string($0.anchor)),\(string($0.text))]" }
        }.joined(separator: ",\n")
        return js + "]};\n"
    }

    /// A JavaScript string literal. U+2028 and U+2029 are escaped for engines older than ES2019.
    static func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\u{2028}", "\u{2029}": out += "\\u\(String(scalar.value, radix: 16))"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
