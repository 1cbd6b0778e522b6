import Foundation

/// The HTML for a code block: a snippet with its real output and badge, or plain code.
enum SnippetHTML {
    static func code(_ code: String, language: String, label: String? = nil) -> String {
        let shown = language == "swift" ? SwiftHighlighter.html(HiddenLines.visible(code)) : HTML.escape(code)
        let head = label.map { "<div class=\"code-head\"><span class=\"label\">\(HTML.escape($0))</span></div>" } ?? ""
        let lang = language.isEmpty ? "" : " class=\"language-\(HTML.escape(language))\""
        return "<div class=\"code-block\">\(head)<pre><code\(lang)>\(shown)</code></pre></div>"
    }

    /// `root` leads from the page to the site's root, where `timeline.swift` is.
    static func snippet(_ report: SnippetReport, root: String = "") -> String {
        let snippet = report.snippet
        var html = "<figure class=\"snippet\" id=\"snippet-\(snippet.id)\">"
        html += "<div class=\"code-head\"><span class=\"label\">Swift\(snippet.options.swift5 ? " 5 mode" : "")</span>"
        if snippet.options.timeline {
            // span(_:_:) is not the standard library's: the reader compiles this file beside main.swift.
            html += "<a class=\"uses\" href=\"\(root)\(ProgramResource.timeline.fileName)\" title=\"span(_:_:) is defined in \(ProgramResource.timeline.fileName): compile it beside main.swift\">+ \(ProgramResource.timeline.fileName)</a>"
        }
        html += badge(report) + "</div>"
        html += "<pre><code class=\"language-swift\">\(SwiftHighlighter.html(HiddenLines.visible(snippet.code)))</code></pre>"
        if !report.skipped {
            html += warnings(report) + output(report) + races(report) + threads(report) + timeline(report)
        }
        if let diff = report.diff {
            html += "<details class=\"diff\" open><summary>Recorded output differs</summary><pre>\(HTML.escape(diff))</pre></details>"
        }
        return html + "</figure>"
    }

    private static func badge(_ report: SnippetReport) -> String {
        let (kind, text): (String, String)
        if report.skipped {
            (kind, text) = ("skipped", "not run")
        } else {
            switch report.verdict {
            case .verified: (kind, text) = ("verified", "✓ output verified")
            case .expectedFailure: (kind, text) = ("expected", "✓ \(expectedText(report.snippet.options.expectation)) as expected")
            case .unrecorded: (kind, text) = ("unrecorded", "ran · no recorded output")
            case .failed(let reason): (kind, text) = ("failed", "✗ \(reason)")
            }
        }
        return "<span class=\"badge \(kind)\">\(HTML.escape(text))</span>"
    }

    private static func expectedText(_ expectation: FenceOptions.Expectation) -> String {
        switch expectation {
        case .compileError: "compile error"
        case .crash: "crash"
        case .failure(let code): code.map { "exit code \($0)" } ?? "failure"
        case .timeout: "timeout"
        case .race: "data race"
        case .success: "success"
        }
    }

    /// What the compiler warned about in this snippet's lines, when it compiled: its reader sees it too.
    private static func warnings(_ report: SnippetReport) -> String {
        guard report.compilerOutput == nil else { return "" }
        let own = report.compilerMessages.filter { message in
            message.file == report.snippet.page && message.line > report.snippet.line && message.line < report.snippet.endLine
        }
        guard own.contains(where: { $0.severity == .warning }) else { return "" }
        return panel("warnings", head: "Compiler warnings", text: own.map(\.text).joined(separator: "\n"))
    }

    private static func output(_ report: SnippetReport) -> String {
        let label = report.compilerOutput != nil ? "Compiler output" : "Output"
        var html = "<div class=\"output\"><div class=\"output-head\">\(label)"
        if report.runs.total > 1 { html += " <span class=\"runs\">\(HTML.escape(distribution(report.runs)))</span>" }
        let stderrLines = report.compilerOutput == nil ? Set(report.runs.first?.stderrLines ?? []) : []
        if !stderrLines.isEmpty { html += " <span class=\"stderr-legend\">red lines: stderr</span>" }
        html += "</div><pre class=\"output-text\">\(outputText(report.output, stderrLines: stderrLines))</pre>"
        // One distinct output is the one shown above; listing it again would only repeat it.
        let outputs = distinctOutputs(report.runs)
        if outputs.count > 1 {
            html += DistributionChart.svg(outputs.map { (output: $0.0, count: $0.1) }, total: report.runs.total,
                                          id: "snippet-\(report.snippet.id)-runs")
            html += "<ul class=\"distribution\">"
            for (output, count) in outputs {
                html += "<li><span class=\"count\">\(count) ×</span> <code>\(HTML.escape(abbreviate(output)))</code></li>"
            }
            html += "</ul>"
        }
        return html + "</div>"
    }

    /// What ThreadSanitizer reported, apart from the output: the race a lesson claims, proven.
    private static func races(_ report: SnippetReport) -> String {
        guard let races = report.runs.first(where: { !$0.races.isEmpty })?.races else { return "" }
        let runs = report.runs.filter { !$0.races.isEmpty }.reduce(0) { $0 + $1.count }
        let head = "ThreadSanitizer" + (report.runs.total > 1 ? " <span class=\"runs\">races reported in \(runs) of \(report.runs.total) runs</span>" : "")
        return panel("race", head: head, text: races.map { $0.text(place: place(in: report.snippet)) }.joined(separator: "\n\n"))
    }

    /// Where each thread of a hung program waited when it was stopped.
    private static func threads(_ report: SnippetReport) -> String {
        guard let dump = report.runs.first?.threads else { return "" }
        let text = dump.text(place: place(in: report.snippet))
        return panel("threads", head: "Where the threads wait", text: text.isEmpty ? "(no thread was in the snippet's code)" : text)
    }

    private static func timeline(_ report: SnippetReport) -> String {
        guard let timeline = report.runs.first?.timeline else { return "" }
        return TimelineSVG.svg(timeline, title: "Timeline of snippet \(report.snippet.id)", id: "snippet-\(report.snippet.id)-timeline")
    }

    /// A block under the output: a head and preformatted text.
    private static func panel(_ kind: String, head: String, text: String) -> String {
        "<div class=\"output \(kind)\"><div class=\"output-head\">\(head)</div><pre class=\"output-text\">\(HTML.escape(text))</pre></div>"
    }

    /// The output, with the lines the program wrote to stderr marked so they read apart from stdout.
    private static func outputText(_ output: String, stderrLines: Set<Int>) -> String {
        guard !stderrLines.isEmpty else { return HTML.escape(output) }
        return output.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map { index, line in
            stderrLines.contains(index) ? "<span class=\"stderr\">\(HTML.escape(String(line)))</span>" : HTML.escape(String(line))
        }.joined(separator: "\n")
    }

    /// "20 runs, 3 distinct outputs": makes a race visible.
    static func distribution(_ runs: [RunResult]) -> String {
        let distinct = distinctOutputs(runs).count
        return "\(runs.total) runs, \(distinct) distinct output\(distinct == 1 ? "" : "s")"
    }

    /// Distinct outputs with how often each appeared, most frequent first.
    static func distinctOutputs(_ runs: [RunResult]) -> [(String, Int)] {
        var counts: [String: Int] = [:]
        var order: [String] = []
        for run in runs {
            if counts[run.output] == nil { order.append(run.output) }
            counts[run.output, default: 0] += run.count
        }
        return order.map { ($0, counts[$0]!) }.sorted { $0.1 > $1.1 }
    }

    private static func abbreviate(_ output: String) -> String {
        let lines = output.split(separator: "\n")
        let text = lines.prefix(3).joined(separator: " ⏎ ")
        return lines.count > 3 ? text + " ⏎ …" : text
    }

    /// How a report names a page line: code blocks show no line numbers, so a line of this snippet is
    /// counted as its reader sees it, with the Markdown line for its author.
    private static func place(in snippet: Snippet) -> (String, Int) -> String {
        { page, line in
            guard page == snippet.page, let shown = shownLine(line, of: snippet) else { return "\(page):\(line)" }
            return "line \(shown) of the snippet (\(page):\(line))"
        }
    }

    /// Which line of the snippet as shown (hidden lines left out) a page line is; nil outside it or hidden.
    static func shownLine(_ pageLine: Int, of snippet: Snippet) -> Int? {
        HiddenLines.shownNumber(ofLine: pageLine - snippet.line - 1, in: snippet.code)
    }
}
