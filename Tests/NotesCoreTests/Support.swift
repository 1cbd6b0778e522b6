import Dispatch
import Foundation
import Testing
@testable import NotesCore

/// The package's folder, for tests that read the course, the corpus, the README or golden files.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

// Shared helpers for the suites: temporary folders, in-memory notes, line look-ups,
// and one place where the suites that run swiftc are serialized.

/// Every suite that runs swiftc is nested in this one, so at most one of them compiles at a time:
/// the machine has two cores, and each compiler invocation takes several seconds.
/// `.serialized` applies to the nested suites too. The limit is per test, and the shortest limit that
/// applies wins, so it must leave room for the longest: the differential test runs every program of the
/// course (175 of them) twice.
@Suite(.serialized, .timeLimit(.minutes(20)))
enum Compiling {}

/// A fresh folder under the system's temporary folder. Call `remove()` when done (usually in a `defer`).
struct TemporaryFolder: Sendable {
    let url: URL

    init(_ prefix: String = "notes-tests") throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ relative: String) -> URL { url.appendingPathComponent(relative) }

    /// Writes `text` as UTF-8 at `relative`, creating folders on the way.
    @discardableResult
    func write(_ relative: String, _ text: String) throws -> URL {
        let file = path(relative)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: file)
        return file
    }

    func read(_ relative: String) throws -> String {
        try String(contentsOf: path(relative), encoding: .utf8)
    }

    func exists(_ relative: String) -> Bool { FileManager.default.fileExists(atPath: path(relative).path) }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

/// A note held in memory, as `ContentLoader` would have read it from `Content/<path>`.
func sourceFile(_ text: String, path: String = "note.md") -> SourceFile {
    SourceFile(relativePath: path, displayPath: "Content/\(path)", bytes: Array(text.utf8))
}

func parse(_ text: String, path: String = "note.md") throws -> Note {
    try NoteParser.parse(sourceFile(text, path: path))
}

func extract(_ text: String, path: String = "note.md") throws -> NoteSnippets {
    try SnippetExtractor.extract(parse(text, path: path))
}

/// The 1-based number of the first line of `text` after line `after` that contains `needle`.
/// Fixtures use it so that expected line numbers follow the fixture text instead of being counted by hand.
func line(of needle: String, in text: String, after: Int = 0) -> Int {
    for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
    where index + 1 > after && line.contains(needle) {
        return index + 1
    }
    Issue.record("fixture has no \(needle.debugDescription) after line \(after)")
    return -1
}

/// Runs blocking work (swiftc, child processes) on a Dispatch thread, so it does not hold one of
/// the few threads of Swift concurrency's cooperative pool while other tests wait for them.
func offThePool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(returning: work()) }
    }
}

/// A course written to a temporary folder and run through the real pipeline once, with a site;
/// the site's files are read into memory and the folder is removed before anyone looks at them.
struct BuiltCourse: Sendable {
    /// The notes as written, by path relative to `Content/`.
    var notes: [String: String]
    var result: PipelineResult
    /// Every file of the written site, by path relative to the site folder.
    var site: [String: Data]
    /// Files of the previous site (see `build(previousSite:)`) still there, unchanged, after the build.
    var leftoversAfterBuild: [String]

    func report(_ id: String) throws -> SnippetReport {
        try #require(result.reports.first { $0.snippet.id == id }, "no report for snippet \(id)")
    }

    func page(_ path: String) throws -> String {
        let data = try #require(site[path], "the site has no \(path); it has \(site.keys.sorted())")
        return String(decoding: data, as: UTF8.self)
    }

    /// Writes `notes` (and `files`, such as `notes.yaml`) under `<tmp>/Content`, pre-fills `<tmp>/Site`
    /// with `previousSite`, builds, and reads the site back.
    static func build(notes: [String: String], files: [String: String] = [:],
                      previousSite: [String: String] = [:], tsan: Bool = false) async throws -> BuiltCourse {
        let folder = try TemporaryFolder("notes-course")
        defer { folder.remove() }
        for (path, text) in notes.merging(files, uniquingKeysWith: { a, _ in a }) {
            try folder.write("Content/\(path)", text)
        }
        for (path, text) in previousSite { try folder.write("Site/\(path)", text) }
        var options = PipelineOptions(contentDirectory: folder.path("Content"), displayPrefix: "Content",
                                      output: folder.path("Site"))
        options.tsan = tsan
        let configured = options
        let result = await offThePool { Pipeline.run(configured) }
        var site: [String: Data] = [:]
        let siteRoot = folder.path("Site").standardizedFileURL.path
        if let walker = FileManager.default.enumerator(atPath: siteRoot) {
            for case let relative as String in walker {
                var isDirectory: ObjCBool = false
                let full = siteRoot + "/" + relative
                if FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue {
                    site[relative] = FileManager.default.contents(atPath: full)
                }
            }
        }
        let leftovers = previousSite.keys.filter { site[$0] != nil && site[$0] == Data(previousSite[$0]!.utf8) }
        return BuiltCourse(notes: notes, result: result, site: site, leftoversAfterBuild: leftovers.sorted())
    }
}

/// Runs the pipeline without a site on a content folder that holds `notes`; for tests that compile nothing
/// (parse errors, links) or that only need reports.
func verify(notes: [String: String], files: [String: String] = [:], filter: String? = nil) async throws -> PipelineResult {
    let folder = try TemporaryFolder("notes-content")
    defer { folder.remove() }
    for (path, text) in notes.merging(files, uniquingKeysWith: { a, _ in a }) {
        try folder.write(path, text)
    }
    var options = PipelineOptions(contentDirectory: folder.url, displayPrefix: "Content")
    options.filter = filter
    let configured = options
    return await offThePool { Pipeline.run(configured) }
}

/// The `notes` binary built alongside this test bundle.
func notesExecutable() throws -> URL {
    var candidates: [URL] = []
    if let executable = Bundle.main.executableURL {
        candidates.append(executable.deletingLastPathComponent().appendingPathComponent("notes"))
    }
    let bundleFolder = Bundle.main.bundleURL.deletingLastPathComponent()
    candidates.append(bundleFolder.appendingPathComponent("notes"))
    for scratch in [".build-tests", ".build"] {
        candidates.append(packageRoot.appendingPathComponent("\(scratch)/debug/notes"))
    }
    let found = candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    return try #require(found, "no notes executable next to the tests; looked at \(candidates.map(\.path))")
}

/// Golden files: with `NOTES_UPDATE_GOLDEN=1`, a golden test rewrites its file and fails, as
/// argument-parser's `RECORD_SNAPSHOTS` does, so a run that rewrote files can never pass unnoticed.
/// Returns whether it rewrote, in which case the test compares nothing.
func rewroteGolden(_ text: String, at url: URL) throws -> Bool {
    guard ProcessInfo.processInfo.environment["NOTES_UPDATE_GOLDEN"] == "1" else { return false }
    try Data(text.utf8).write(to: url)
    Issue.record("rewrote \(url.path): review the change, then run the tests again without NOTES_UPDATE_GOLDEN")
    return true
}
