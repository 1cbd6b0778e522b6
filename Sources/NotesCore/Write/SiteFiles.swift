import Foundation

/// One file of the site as the writer gets it.
enum SiteFile: Sendable, Equatable {
    case bytes(Data)
    /// The previous site's file at the same path, unchanged: linked into the new site, never read.
    case unchanged
}

/// Every file of the site: the pages (rendered in parallel, or taken from the previous site when their
/// key and their file are as the last build left them), the generated home page, the theme, the
/// search index, assets.
struct SiteFiles {
    var files: [String: SiteFile] = [:]
    /// Each page's key, for the new site's manifest.
    var pageKeys: [String: String] = [:]
    var pages = 0
    /// Output paths of the pages rendered by this build, not taken from the previous site.
    var rendered: [String] = []
    var searchIndexBytes = 0

    /// `previous` is where the last build's site is, when its pages may be reused (not with `--no-cache`).
    /// Throws when a file the site needs cannot be read: the theme, timeline.swift, or a linked asset.
    init(course: Course, reports: [SnippetReport], assets: [String], contentDirectory: URL, displayPrefix: String,
         previous: URL?, jobs: Int, progress: @escaping @Sendable (BuildProgress) -> Void) throws {
        let renderer = PageRenderer(course: course)
        let reportsByPage = Dictionary(grouping: reports, by: \.snippet.page)
        let navigation = PageKey.navigation(course)
        let manifest = previous.map(SiteManifest.read) ?? SiteManifest()
        let counter = ProgressCounter(phase: "rendering", total: course.pages.count, unit: "pages", to: progress)
        let built = parallelMap(course.pages, jobs: jobs) { note -> (path: String, key: String, file: SiteFile) in
            defer { counter.finishedOne() }
            let reports = reportsByPage[note.source.relativePath] ?? []
            let key = PageKey.of(note, reports: reports, navigation: navigation, course: course)
            let path = note.source.outputPath
            if let previous, manifest.holds(path, key: key, in: previous) { return (path, key, .unchanged) }
            return (path, key, .bytes(Data(renderer.render(note, reports: reports).html.utf8)))
        }
        for page in built {
            files[page.path] = page.file
            pageKeys[page.path] = page.key
            if page.file != .unchanged { rendered.append(page.path) }
        }
        pages = built.count
        if course.home == nil {
            let index = renderer.renderGeneratedIndex()
            files[index.path] = .bytes(Data(index.html.utf8))
        }
        files["theme.css"] = .bytes(try Theme.css())
        files["notes.js"] = .bytes(try Theme.js())
        // Pages with a timeline link the file that defines span(_:_:), so their readers can compile them too.
        if reports.contains(where: { $0.snippet.options.timeline }) {
            files[ProgramResource.timeline.fileName] = .bytes(Data(try ProgramResource.timeline.text().utf8))
        }
        let searchIndex = Data(SearchIndex.script(for: course).utf8)
        files["search-index.js"] = .bytes(searchIndex)
        searchIndexBytes = searchIndex.count
        for asset in assets {
            guard let data = FileManager.default.contents(atPath: contentDirectory.appendingPathComponent(asset).path) else {
                throw Diagnostic(file: "\(displayPrefix)/\(asset)", "cannot read this file, which the site needs")
            }
            files[asset] = .bytes(data)
        }
    }
}
