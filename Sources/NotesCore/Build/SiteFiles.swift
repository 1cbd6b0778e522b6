import Foundation

/// Every file of the site, in memory: the pages (rendered in parallel, or read back from the page
/// cache when nothing they show changed), the generated home page, the theme, the search index, assets.
struct SiteFiles {
    var files: [String: Data] = [:]
    var pages = 0
    /// Output paths of the pages rendered by this build, not read back from the page cache.
    var rendered: [String] = []
    var searchIndexBytes = 0

    init(course: Course, reports: [SnippetReport], assets: [String], contentDirectory: URL,
         cache: PageCache?, jobs: Int, progress: @escaping @Sendable (BuildProgress) -> Void) {
        let renderer = PageRenderer(course: course)
        let reportsByPage = Dictionary(grouping: reports, by: \.snippet.page)
        let navigation = PageCache.navigation(course)
        let counter = ProgressCounter(phase: "rendering", total: course.pages.count, unit: "pages", to: progress)
        let built = parallelMap(course.pages, jobs: jobs) { note -> (path: String, html: Data, rendered: Bool) in
            defer { counter.finishedOne() }
            let reports = reportsByPage[note.source.relativePath] ?? []
            let key = PageCache.key(for: note, reports: reports, navigation: navigation, course: course)
            if let html = cache?.load(key: key) { return (note.source.outputPath, html, false) }
            let page = renderer.render(note, reports: reports)
            cache?.store(key: key, html: page.html)
            return (page.path, Data(page.html.utf8), true)
        }
        for page in built {
            files[page.path] = page.html
            if page.rendered { self.rendered.append(page.path) }
        }
        pages = built.count
        if course.home == nil {
            let index = renderer.renderGeneratedIndex()
            files[index.path] = Data(index.html.utf8)
        }
        files["theme.css"] = Theme.css
        files["notes.js"] = Theme.js
        let searchIndex = Data(SearchIndex.script(for: course, jobs: jobs).utf8)
        files["search-index.js"] = searchIndex
        searchIndexBytes = searchIndex.count
        for asset in assets {
            files[asset] = FileManager.default.contents(atPath: contentDirectory.appendingPathComponent(asset).path)
        }
    }
}
