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

    static func of(_ note: Note, reports: [SnippetReport], navigation: String, course: Course) -> String {
        var hash = ContentHash()
        func add(_ text: String) { hash.add(text) }
        add("notes-page-v1"); add(ProgramIdentity.current); add(navigation); add(note.source.relativePath)
        note.source.bytes.withUnsafeBytes { hash.add(bytes: $0) }
        // The home page lists every lesson with its description.
        if note.source.relativePath == "index.md" { for lesson in course.lessons { add(lesson.desc ?? "") } }
        // What a page shows of each report; durations are left out, they differ on every run.
        for report in reports {
            add(report.snippet.id); add("\(report.verdict)"); add("\(report.skipped)")
            add(report.compilerOutput ?? ""); add(report.diff ?? ""); add("\(report.runs.count)")
            for message in report.compilerMessages { add(message.text) }
            for run in report.runs {
                add(run.output); add("\(run.stderrLines)"); add("\(run.count)")
                add(run.races.map { $0.text() }.joined()); add(run.threads?.text() ?? ""); add(run.timeline.map { "\($0)" } ?? "")
            }
        }
        return hash.hex
    }
}
