/// Check stage: compares how each snippet compiled and ran with what its fence and `output` block promise.
public struct Checker: Sendable {
    public var sanitizers: [Sanitizer]

    public init(sanitizers: [Sanitizer]) { self.sanitizers = sanitizers }

    /// Reports for every snippet of an entry; `runs` is per distinct run, then per snippet.
    public func check(_ entry: RunEntry, compile: BuildOutcome, runs: [[RunResult]]) -> [SnippetReport] {
        entry.snippets.indices.map { index in
            let snippet = entry.snippets[index]
            if case .failed = compile, entry.expectation == .compileError, index < entry.snippets.count - 1 {
                // A session that must not compile: its last snippet shows why.
                var report = SnippetReport(snippet: snippet, runs: [], verdict: .expectedFailure)
                report.compilerMessages = compile.messages
                return report
            }
            return check(snippet, compile: compile, runs: runs.map { $0[index] })
        }
    }

    public func check(_ snippet: Snippet, compile: BuildOutcome, runs: [RunResult]) -> SnippetReport {
        var report = SnippetReport(snippet: snippet, runs: runs, verdict: .verified)
        let expectation = snippet.options.expectation
        report.compilerMessages = compile.messages
        if case .failed(let messages) = compile {
            // All of it, warnings too: what the reader's swiftc prints.
            report.compilerOutput = messages.map(\.text).joined(separator: "\n") + "\n"
            guard expectation == .compileError else {
                report.verdict = .failed("does not compile")
                return report
            }
            return compare(report, expected: true)
        }
        if expectation == .compileError {
            report.verdict = .failed("expected a compile error, but it compiled (incorrectly succeeded)")
            return report
        }
        for run in runs {
            let which = runs.total > 1 ? "\(run.count) of \(runs.total) runs: " : ""
            if let problem = Self.problem(run.termination, expected: expectation) ?? Self.problem(races: run.races, expected: expectation) {
                report.verdict = .failed(which + problem)
                return report
            }
        }
        return compare(report, expected: expectation != .success)
    }

    /// nil when the program ended the way the fence expects.
    static func problem(_ termination: Termination, expected: FenceOptions.Expectation) -> String? {
        switch (expected, termination) {
        case (.success, .exited(0)), (.crash, .signaled), (.timeout, .timedOut), (.race, .exited(0)): return nil
        case (.failure(let code), .exited(let status)) where status != 0:
            return code == nil || code == status ? nil : "expected exit code \(code!), but it \(termination.summary)"
        case (.success, _): return "expected to succeed, but it \(termination.summary)"
        case (.crash, _): return "expected a crash, but it \(termination.summary)"
        case (.failure, _): return "expected a nonzero exit, but it \(termination.summary)"
        case (.timeout, _): return "expected to be still running at its timeout, but it \(termination.summary)"
        case (.race, _): return "expected to end normally with a data race, but it \(termination.summary)"
        case (.compileError, _): return "expected a compile error"
        }
    }

    /// nil when ThreadSanitizer found what the fence expects: a race for `expect=race`, else none.
    /// Races are only looked for in programs built with it, so without `--tsan` others never fail here.
    static func problem(races: [RaceReport], expected: FenceOptions.Expectation) -> String? {
        if expected == .race {
            return races.isEmpty ? "expected ThreadSanitizer to report a data race, but it reported none" : nil
        }
        guard let race = races.first else { return nil }
        let place = race.accesses.compactMap { access in access.line.map { "line \($0)" } }.first.map { " (\($0))" } ?? ""
        return "ThreadSanitizer reported a \(race.kind)\(place); mark the snippet expect=race if it is meant to race"
    }

    private func compare(_ report: SnippetReport, expected failure: Bool) -> SnippetReport {
        var report = report
        guard let recorded = report.snippet.recorded else {
            // Nothing printed and nothing recorded agree; anything else is worth recording.
            let silent = report.output.allSatisfy(\.isWhitespace)
            report.verdict = silent ? (failure ? .expectedFailure : .verified) : .unrecorded
            return report
        }
        let matcher = OutputMatcher(sanitizers: sanitizers, unordered: report.snippet.options.unordered)
        let outputs = report.compilerOutput.map { [($0, 1)] } ?? report.runs.map { ($0.output, $0.count) }
        let total = outputs.reduce(0) { $0 + $1.1 }
        for (output, count) in outputs where !matcher.matches(actual: output, expected: recorded.text) {
            let which = total > 1 ? " in \(count) of \(total) runs" : ""
            let moved = matcher.matches(actual: Self.withoutMarkdownLines(output), expected: Self.withoutMarkdownLines(recorded.text))
            report.verdict = .failed("output differs from the recorded output\(which)" + (moved
                ? " only in Markdown line numbers: lines added or removed above moved the snippet; `--accept` records them again"
                : ""))
            report.diff = matcher.diff(actual: output, expected: recorded.text, header: "\(report.snippet.file):\(recorded.line)")
            return report
        }
        report.verdict = failure ? .expectedFailure : .verified
        return report
    }

    /// Compiler messages and traps name Markdown lines (`02-locks.md:41:9`); with the line numbers left
    /// out, an output that differs only because its snippet moved matches again.
    static func withoutMarkdownLines(_ text: String) -> String {
        text.replacing(/\.md:\d+/, with: ".md:#")
    }
}
