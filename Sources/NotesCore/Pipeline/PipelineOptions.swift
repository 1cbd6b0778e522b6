import Foundation

/// What a `build` or `verify` is asked to do.
public struct PipelineOptions: Sendable {
    public var contentDirectory: URL
    /// How messages name the content folder: `Content`.
    public var displayPrefix: String
    /// Where the site goes; nil for `verify`, which writes no site.
    public var output: URL?
    public var outputDisplay = "Site"
    public var jobs = ProcessInfo.processInfo.activeProcessorCount
    /// Only snippets whose page path or id contains this run; the others are skipped.
    public var filter: String?
    public var compiler = SwiftCompiler()
    /// Where passing results are kept between runs; nil runs everything (`--no-cache`).
    public var cache: ResultCache?
    /// `--tsan`: every program is built with ThreadSanitizer, and a data race fails its snippet
    /// unless it is `expect=race`. `tsan: true` in notes.yaml does the same.
    public var tsan = false
    /// `--shard K/N`: only entries whose stable hash falls in shard K (1-based) of N run.
    public var shard: Shard?
    /// What the run is doing, as counts per phase; called from any thread.
    public var progress: @Sendable (BuildProgress) -> Void = { _ in }

    /// Whether `--shard` and `--filter` leave this program in.
    func selects(_ entry: RunEntry) -> Bool {
        (shard?.contains(entry.id) ?? true) && (filter.map { pattern in
            entry.page.contains(pattern) || entry.snippets.contains { $0.id.contains(pattern) }
        } ?? true)
    }

    public init(contentDirectory: URL, displayPrefix: String, output: URL? = nil) {
        self.contentDirectory = contentDirectory
        self.displayPrefix = displayPrefix
        self.output = output
    }
}
