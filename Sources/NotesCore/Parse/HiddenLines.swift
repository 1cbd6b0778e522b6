/// Lines a snippet compiles but its page does not show: those between `// snippet.hide` and
/// `// snippet.show` (Swift-DocC's convention), and the two markers. The page, the search index and the
/// places races and hangs are reported at all count lines this way.
enum HiddenLines {
    /// The code as the page shows it, without blank lines at the end.
    static func visible(_ code: String) -> String {
        // Most snippets hide nothing: they are shown as they are, without splitting them into lines.
        var text = code
        if code.contains("// snippet.") {
            let lines = code.split(separator: "\n", omittingEmptySubsequences: false)
            text = zip(lines, shown(lines)).filter(\.1).map(\.0).joined(separator: "\n")
        }
        while text.hasSuffix("\n\n") { text.removeLast() }
        return text
    }

    /// Which line of the code as shown (from 1) line `index` of `code` (from 0) is; nil when it is hidden
    /// or not in the code.
    static func shownNumber(ofLine index: Int, in code: String) -> Int? {
        let lines = code.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.indices.contains(index) else { return nil }
        let flags = shown(lines)
        return flags[index] ? flags[...index].filter { $0 }.count : nil
    }

    /// For each line, whether the page shows it.
    private static func shown(_ lines: [Substring]) -> [Bool] {
        var hidden = false
        return lines.map { line in
            switch line.trimmingSpaces {
            case "// snippet.hide": hidden = true; return false
            case "// snippet.show": hidden = false; return false
            default: return !hidden
            }
        }
    }
}
