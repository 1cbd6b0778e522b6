import Crypto
import Foundation

/// Rendered pages kept between builds, each under a hash of everything its HTML is made of: the
/// note's bytes, the course's navigation, what its snippets printed, and the build of notes.
/// Highlighting is the costly part of rendering, so an unchanged page is read back instead.
/// Each file starts with a hash of the HTML after it; a file whose hash does not match is a miss.
public struct PageCache: Sendable {
    public var directory: URL

    public init(directory: URL) { self.directory = directory }

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

    static func key(for note: Note, reports: [SnippetReport], navigation: String, course: Course) -> String {
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
            for run in report.runs { add(run.output); add("\(run.stderrLines)") }
        }
        return hash.hex
    }

    /// The page's bytes, as they go into the site: decoding them to a String only to encode them again
    /// was a third of the cost of a build in which nothing changed.
    public func load(key: String) -> Data? {
        guard let data = try? Data(contentsOf: file(for: key)),
              let newline = data.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        let html = data[(newline + 1)...]
        guard data[..<newline].elementsEqual(Self.digest(html).utf8) else { return nil }
        return Data(html)
    }

    public func store(key: String, html: String) {
        let body = Data(html.utf8)
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try? AtomicFile.write(Data((Self.digest(body) + "\n").utf8) + body, to: file(for: key), durable: false)
    }

    private static func digest(_ data: Data) -> String {
        ContentHash.hex(SHA256.hash(data: data))
    }

    private func file(for key: String) -> URL { directory.appendingPathComponent(key + ".html") }
}
