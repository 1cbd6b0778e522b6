/// How often each distinct output of a `repeat=N` snippet appeared, as an inline SVG bar chart drawn at
/// build time: one bar per output (most frequent first, as given), its length the share of all runs.
enum DistributionChart {
    static let maxBars = 12
    private static let width = TimelineSVG.width, fontSize = TimelineSVG.fontSize
    private static let rowPitch = 24.0, barHeight = 16.0, top = 4.0

    /// `id` is a unique HTML id prefix for the page (letters, digits, `-`); the aria ids derive from it.
    static func svg(_ outputs: [(output: String, count: Int)], total: Int, id: String) -> String {
        guard !outputs.isEmpty else { return "<p class=\"distribution-empty\">No runs were recorded.</p>" }
        let id = TimelineSVG.htmlID(id, fallback: "distribution")
        // Past 12 bars the tail is one "other" bar, so the chart stays short.
        let labels = labels(outputs.map(\.output))
        var bars = zip(outputs, labels).map { (label: $1, full: $0.output, count: max($0.count, 0), other: false) }
        if bars.count > maxBars {
            let rest = bars[(maxBars - 1)...]
            bars = Array(bars.prefix(maxBars - 1))
            bars.append(("other (\(rest.count) outputs)", "", rest.map(\.count).reduce(0, +), true))
        }
        let runs = max(total, outputs.map { max($0.count, 0) }.reduce(0, +))
        let counts = bars.map { runs > 0 ? "\($0.count) (\(Int((Double($0.count) * 100 / Double(runs)).rounded()))%)" : "\($0.count)" }

        // Labels on the left as wide as the longest needs, counts after each bar's end.
        let labelWidth = (bars.map { TimelineSVG.textWidth($0.label) }.max() ?? 0) + 12
        let countWidth = (counts.map { TimelineSVG.textWidth($0) }.max() ?? 0) + 12
        let barMax = width - labelWidth - countWidth
        let height = top * 2 + rowPitch * Double(bars.count) - (rowPitch - barHeight)
        let number = TimelineSVG.number

        let title = "Distinct outputs of \(TimelineSVG.plural(runs, "run"))"
        // The figure scrolls sideways on a phone rather than shrink the text past reading (code.css).
        var out = ["<figure class=\"distribution-chart\">",
                   "<svg class=\"dc\" viewBox=\"0 0 \(number(width)) \(number(height))\" width=\"100%\" "
                   + "font-size=\"\(number(fontSize))\" font-family=\"monospace\" role=\"img\" "
                   + "aria-labelledby=\"\(id)-title\" aria-describedby=\"\(id)-desc\">",
                   "<title id=\"\(id)-title\">\(title)</title>",
                   "<desc id=\"\(id)-desc\">\(HTML.escape(description(bars.map { ($0.label, $0.count, !$0.other && !$0.full.isEmpty) }, runs: runs, distinct: outputs.count)))</desc>"]
        for (index, bar) in bars.enumerated() {
            let y = top + Double(index) * rowPitch
            let length = runs > 0 ? max(Double(bar.count) / Double(runs) * barMax, 2) : 2
            // The whole output (up to a point) as a tooltip, since the label shows only its start.
            let tip = bar.other ? bar.label : String(TimelineSVG.clean(bar.full).prefix(300))
            out.append("<g class=\"dc-row\"><title>\(HTML.escape(tip))</title>"
                       + "<text class=\"dc-label\(bar.full.isEmpty && !bar.other ? " dc-empty" : "")\" x=\"0\" y=\"\(number(y + 12))\">"
                       + "\(HTML.escape(bar.label))</text>"
                       + "<rect class=\"dc-bar\(bar.other ? " dc-other" : "")\" x=\"\(number(labelWidth))\" y=\"\(number(y))\" "
                       + "width=\"\(number(length))\" height=\"\(number(barHeight))\" rx=\"2\"/>"
                       + "<text class=\"dc-count\" x=\"\(number(labelWidth + length + 6))\" y=\"\(number(y + 12))\">"
                       + "\(counts[index])</text></g>")
        }
        out.append("</svg>")
        out.append("</figure>")
        return out.joined(separator: "\n")
    }

    /// One label per output: its first line that is not the same in every output (so that outputs that
    /// differ only at the end are told apart), cut to about 40 characters; "…" says there is more.
    static func labels(_ outputs: [String]) -> [String] {
        let split = outputs.map { output -> [Substring] in
            // Outputs end with a newline; only lines after the shown one with something in them are "more".
            var lines = output.split(separator: "\n", omittingEmptySubsequences: false)
            while lines.count > 1, lines.last == "" { lines.removeLast() }
            return lines
        }
        var shared = 0
        if outputs.count > 1 {
            while split.allSatisfy({ $0.count > shared + 1 }), Set(split.map { $0[shared] }).count == 1 { shared += 1 }
        }
        return zip(outputs, split).map { output, lines in
            guard !output.isEmpty else { return "(no output)" }
            let line = TimelineSVG.clean(String(lines[shared]))
            let shown = (shared > 0 ? "… " : "") + line
            if shown.count > 40 { return shown.prefix(39) + "…" }
            return lines.count > shared + 1 ? shown + " …" : shown
        }
    }

    /// "20 runs, 3 distinct outputs: 12 × “0 1 2”, …", cut after a bar when it grows long.
    private static func description(_ bars: [(label: String, count: Int, quoted: Bool)], runs: Int, distinct: Int) -> String {
        var text = "\(TimelineSVG.plural(runs, "run")), \(TimelineSVG.plural(distinct, "distinct output")):"
        for (index, bar) in bars.enumerated() {
            let item = (index == 0 ? " " : ", ") + "\(bar.count) × " + (bar.quoted ? "“\(bar.label)”" : bar.label)
            if text.count + item.count > 560 { return text + ", and \(bars.count - index) more." }
            text += item
        }
        return text + "."
    }
}
