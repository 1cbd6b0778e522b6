/// Check stage's verdict on one snippet.
public enum Verdict: Sendable, Equatable, Encodable {
    /// Ended as expected and printed what the note records.
    case verified
    /// Ended as expected (a compile error, crash, failure or timeout), and printed what the note records.
    case expectedFailure
    /// Ended as expected, but the note has no `output` block to compare with.
    case unrecorded
    case failed(String)

    public var passed: Bool { if case .failed = self { false } else { true } }
}

/// Everything known about one snippet after checking: what the page shows and what `verify` reports.
public struct SnippetReport: Sendable, Encodable {
    public var snippet: Snippet
    /// Every run, in order (several with `repeat=`); empty when it did not compile.
    public var runs: [RunResult]
    /// The compiler's messages when it did not compile (expected or not).
    public var compilerOutput: String?
    public var compilerMessages: [CompilerMessage] = []
    public var verdict: Verdict
    /// A unified diff when the output did not match.
    public var diff: String?
    /// True when this snippet was left out by `--filter` or `--shard`.
    public var skipped = false

    /// A snippet that was not compiled or run (left out by `--filter` or `--shard`, or shown in a preview).
    public static func notRun(_ snippet: Snippet) -> SnippetReport {
        var report = SnippetReport(snippet: snippet, runs: [], verdict: .unrecorded)
        report.skipped = true
        return report
    }

    /// The output shown under the snippet and written back by `--accept`.
    public var output: String { compilerOutput ?? runs.first?.output ?? "" }

    /// One `file:line: error: …` per problem, for the terminal and CI annotations.
    /// A snippet that does not compile reports each compiler error at its own Markdown line.
    public var diagnostics: [Diagnostic] {
        guard case .failed(let reason) = verdict else { return [] }
        let line = diff != nil ? (snippet.recorded?.line ?? snippet.line) : snippet.line
        let summary = Diagnostic(file: snippet.file, line: line, "snippet '\(snippet.id)': \(reason)")
        let errors = snippet.options.expectation == .compileError ? [] : compilerMessages.filter { $0.severity == .error }
        // Each access of an unexpected race at its own line, as a compiler error would be.
        let accesses = snippet.options.expectation == .race ? [] : (runs.first { !$0.races.isEmpty }?.races ?? []).flatMap { race in
            race.accesses.compactMap { access in
                access.line.map { Diagnostic(file: file(access.page ?? snippet.page), line: $0,
                                             "\(race.kind) on \(race.location): \(access.kind) by \(access.thread), in \(access.function)") }
            }
        }
        return [summary] + errors.map { message in
            Diagnostic(file: file(message.file), line: message.line, "\(message.message) (column \(message.column))")
        } + accesses
    }

    /// A page path as messages name it: `02-races.md` → `Content/02-races.md`.
    private func file(_ page: String) -> String { page == snippet.page ? snippet.file : page
    }

    /// A snippet that ran as expected but has no `output` block to check against: worth recording.
    public var unrecordedWarning: Diagnostic? {
        guard verdict == .unrecorded, !skipped else { return nil }
        return Diagnostic(file: snippet.file, line: snippet.line, severity: .warning,
                          "snippet '\(snippet.id)' has no recorded output block")
    }
}
