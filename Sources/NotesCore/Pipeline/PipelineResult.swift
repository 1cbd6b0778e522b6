import Foundation

/// Everything a run of the pipeline found out.
public struct PipelineResult: Sendable {
    /// Problems with notes themselves: bad UTF-8, bad front matter, bad fences, broken links.
    public var diagnostics: [Diagnostic] = []
    public var reports: [SnippetReport] = []
    public var pages: [NoteSnippets] = []
    public var compilerInvocations = 0
    /// Ids of the entries (a snippet, or a whole session) that went to the compiler, not taken from the cache.
    public var compiledEntries: [String] = []
    /// Ids of the entries whose program was run.
    public var ranEntries: [String] = []
    /// Pages rendered by this run, by output path; the others were taken unchanged from the previous site.
    public var pagesRendered: [String] = []
    /// Seconds spent per phase, in the order the phases ran.
    public var timings: [(phase: String, seconds: Double)] = []

    /// `parse 0.01 s, compile 2.31 s, run 1.20 s, render 0.05 s`.
    public var timingSummary: String {
        timings.map { "\($0.phase) \(String(format: "%.2f", $0.seconds)) s" }.joined(separator: ", ")
    }

    mutating func time<T>(_ phase: String, _ work: (inout PipelineResult) -> T) -> T {
        let start = Date()
        let value = work(&self)
        timings.append((phase, Date().timeIntervalSince(start)))
        return value
    }
    public var pagesWritten = 0
    /// Size of the site's search index, in bytes: it is loaded by the browser, so it should stay small.
    public var searchIndexBytes = 0

    public var passed: Int { reports.filter { !$0.skipped && $0.verdict.passed }.count }
    public var failed: Int { reports.filter { !$0.skipped && !$0.verdict.passed }.count }
    public var skipped: Int { reports.filter(\.skipped).count }
    public var succeeded: Bool { failed == 0 && !diagnostics.contains { $0.severity == .error } }

    /// `N passed, N failed` (and `, N skipped`): the closing line CI reads.
    public var summary: String {
        "\(passed) passed, \(failed) failed" + (skipped > 0 ? ", \(skipped) skipped" : "")
    }
}

extension PipelineResult {
    /// Whether a `verify --accept` run succeeded: what was accepted now holds, but a snippet that failed
    /// its expectation (not only its output), a note that could not be written, or an error in the notes
    /// still fails it.
    public func succeeded(accepting problems: [Diagnostic]) -> Bool {
        let stillFailing = reports.contains { !$0.verdict.passed && $0.diff == nil }
        return !stillFailing && problems.isEmpty && !diagnostics.contains { $0.severity == .error }
    }
}
