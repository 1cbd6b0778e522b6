import Foundation

/// A hash of everything a page's HTML is made of: the note's bytes, the course's navigation, what its
/// snippets printed, and the build of notes. The site's manifest remembers it per page, so a page
/// whose key is unchanged is taken from the previous site instead of rendered again.
enum PageKey {
    /// A hash of what every page's frame shows of the course: its title and each page's place, path and
    /// title. A change here (a new lesson, a renamed one) changes every page's sidebar, so every page's key.
    /// Hashed once per build, not once per page: at 1000 pages the text is 30 KB.
    static func navigation(_ course: Course) -> String {
        var hash = ContentHash()
        hash.add(course.title)
        hash.add(course.author ?? "")
        for page in course.pages {
            hash.add(page.source.outputPath)
            hash.add(page.title)
        }
        return hash.hex
    }

    /// The key of one page: what `PageRenderer.render` receives, whole. The note's Markdown is hashed as
    /// bytes (everything the parser made of it follows from them and the build of notes); the reports are
    /// hashed as their encoded value, so a field added to them is in the key without anyone remembering to.
    /// Only run durations are left out: no page shows them, and they differ on every run.
    static func of(_ note: Note, reports: [SnippetReport], navigation: String, course: Course) -> String {
        var hash = ContentHash()
        hash.add("notes-page-v2"); hash.add(ProgramIdentity.current); hash.add(navigation); hash.add(note.source.relativePath)
        note.source.bytes.withUnsafeBytes { hash.add(bytes: $0) }
        // The home page lists every lesson with its description.
        if note.source.relativePath == "index.md" { for lesson in course.lessons { hash.add(lesson.desc ?? "") } }
        let shown = reports.map { report in
            var report = report
            for index in report.runs.indices { report.runs[index].duration = 0 }
            return report
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        // Encoding plain values cannot fail; were it to, the page would simply be rendered again.
        guard let encoded = try? encoder.encode(shown) else { return UUID().uuidString }
        encoded.withUnsafeBytes { hash.add(bytes: $0) }
        return hash.hex
    }
}
