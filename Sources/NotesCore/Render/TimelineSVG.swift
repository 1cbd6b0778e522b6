/// A `timeline` snippet's spans drawn as inline SVG at build time (no JavaScript): one band per lane,
/// time in milliseconds along the bottom. Colours come from classes styled in code.css, so the light
/// and dark themes both apply; sizes are in viewBox units, so the drawing scales to the column.
enum TimelineSVG {
    static let width = 720.0
    static let fontSize = 12.0
    /// A loop of `span` calls can record thousands; the earliest 500 keep the drawing (and the page) readable.
    static let maxSpans = 500
    /// Times beyond ±10¹² ms (30 years) are no run's: such a span cannot be placed. Within it, every
    /// coordinate is a modest finite number, whatever the spans.
    static let maxTime = 1e12
    /// Rows within a lane: a span that overlaps an earlier one (a nested span) goes one row down.
    private static let rowPitch = 22.0, barHeight = 18.0, lanePad = 4.0, top = 4.0, rightMargin = 28.0

    /// Where everything goes: the scale, each lane's spans with their row, and each lane's top.
    private struct Layout {
        var nameWidth: Double, plotLeft: Double, step: Double, ticks: Int, scale: Double
        var rows: [[(span: Timeline.Span, row: Int)]]
        var laneTops: [Double], axisY: Double

        func x(_ ms: Double) -> Double { plotLeft + max(ms, 0) * scale }
    }

    /// `id` is a unique HTML id prefix for the page (letters, digits, `-`); the aria ids derive from it.
    static func svg(_ timeline: Timeline, title: String, id: String) -> String {
        // A timeline may hold anything (it comes from the program's file, or a cache): lanes past the
        // cap are not drawn, and spans pointing at no drawn lane, or at times that are not numbers or
        // no run's (NaN fails the comparison), cannot be placed.
        let lanes = timeline.lanes.prefix(Timeline.maxLanes).map { clean(Timeline.cut($0)) }
        let placeable = timeline.spans.filter {
            lanes.indices.contains($0.lane) && abs($0.start) <= maxTime && abs($0.end) <= maxTime
        }
        var spans = placeable.count <= maxSpans ? placeable : Array(placeable.enumerated()
            .sorted { ($0.element.start, $0.offset) < ($1.element.start, $1.offset) }.prefix(maxSpans).map(\.element))
        guard !spans.isEmpty else { return "<p class=\"timeline-empty\">No spans were recorded.</p>" }
        for index in spans.indices { spans[index].label = clean(Timeline.cut(spans[index].label)) }
        let id = htmlID(id, fallback: "timeline")
        let layout = layout(spans, lanes: lanes)
        let height = layout.axisY + 22
        var out = ["<figure class=\"timeline\">",
                   "<svg class=\"tl\" viewBox=\"0 0 \(number(width)) \(number(height))\" width=\"100%\" "
                   + "font-size=\"\(number(fontSize))\" font-family=\"monospace\" role=\"img\" "
                   + "aria-labelledby=\"\(id)-title\" aria-describedby=\"\(id)-desc\">",
                   "<title id=\"\(id)-title\">\(HTML.escape(clean(title)))</title>",
                   "<desc id=\"\(id)-desc\">\(HTML.escape(description(timeline, lanes: lanes, rows: layout.rows, recorded: placeable.count)))</desc>"]
        out += background(layout, lanes: lanes.count) + lanesSVG(layout, lanes: lanes) + axis(layout)
        out.append("</svg>")
        var caption = timeline.runs > 1 ? "Timeline · run \(timeline.run) of \(timeline.runs) (median duration)" : "Timeline"
        if placeable.count > spans.count { caption += " · first \(spans.count) of \(placeable.count) spans" }
        if timeline.truncated { caption += " · the program recorded more than notes keeps" }
        out.append("<figcaption>\(caption)</figcaption>")
        out.append("</figure>")
        return out.joined(separator: "\n")
    }

    private static func layout(_ spans: [Timeline.Span], lanes: [String]) -> Layout {
        // Lane names get a column as wide as the longest needs, within limits.
        let nameWidth = min(max((lanes.map { textWidth($0) }.max() ?? 0) + 16, 64), 168)
        let plotWidth = width - nameWidth - rightMargin
        // At least 0: a timeline of negative times still has an axis from 0, and a positive tick count.
        let maxEnd = max(spans.map { max($0.start, $0.end) }.max() ?? 0, 0)
        let step = niceStep(maxEnd)
        let ticks = max(1, Int((maxEnd / step - 1e-9).rounded(.up)))
        // Each lane's spans in time order, parents (longer) before the spans nested in them. A span goes
        // on the first row free by its start that is below every span containing it, so nesting reads
        // downwards like a flame graph.
        var rows: [[(span: Timeline.Span, row: Int)]] = Array(repeating: [], count: lanes.count)
        for lane in lanes.indices {
            let own = spans.filter { $0.lane == lane }.enumerated().sorted { a, b in
                a.element.start != b.element.start ? a.element.start < b.element.start
                    : a.element.end != b.element.end ? a.element.end > b.element.end : a.offset < b.offset
            }.map(\.element)
            var rowEnds: [Double] = []
            for span in own {
                var row = rows[lane].filter { $0.span.start <= span.start && span.end <= $0.span.end }.map { $0.row + 1 }.max() ?? 0
                while row < rowEnds.count, rowEnds[row] > span.start { row += 1 }
                if row == rowEnds.count { rowEnds.append(span.end) } else { rowEnds[row] = span.end }
                rows[lane].append((span, row))
            }
        }
        var laneTops: [Double] = [], y = top
        for lane in lanes.indices {
            laneTops.append(y)
            y += lanePad * 2 + barHeight + rowPitch * Double(rows[lane].map(\.row).max() ?? 0)
        }
        return Layout(nameWidth: nameWidth, plotLeft: nameWidth, step: step, ticks: ticks,
                      scale: plotWidth / (Double(ticks) * step), rows: rows, laneTops: laneTops, axisY: y)
    }

    /// Alternate lanes shaded, so a row reads across to its name, and a grid line per tick.
    private static func background(_ layout: Layout, lanes: Int) -> [String] {
        var out: [String] = []
        for lane in 0..<lanes where lane % 2 == 0 {
            let laneHeight = (lane + 1 < layout.laneTops.count ? layout.laneTops[lane + 1] : layout.axisY) - layout.laneTops[lane]
            out.append("<rect class=\"tl-band\" x=\"0\" y=\"\(number(layout.laneTops[lane]))\" width=\"\(number(width))\" "
                       + "height=\"\(number(laneHeight))\"/>")
        }
        for tick in 1...layout.ticks {
            let tx = number(layout.x(Double(tick) * layout.step))
            out.append("<line class=\"tl-grid\" x1=\"\(tx)\" y1=\"\(number(top))\" x2=\"\(tx)\" y2=\"\(number(layout.axisY))\"/>")
        }
        return out
    }

    private static func lanesSVG(_ layout: Layout, lanes: [String]) -> [String] {
        var out: [String] = []
        for lane in lanes.indices {
            let laneTop = layout.laneTops[lane]
            out.append("<g class=\"tl-lane\">")
            out.append("<text class=\"tl-name\" x=\"6\" y=\"\(number(laneTop + lanePad + 13))\">"
                       + "\(HTML.escape(fit(lanes[lane], width: layout.nameWidth - 12) ?? ""))</text>")
            for (span, row) in layout.rows[lane] {
                let left = layout.x(span.start), right = max(layout.x(span.end), left + 2)
                let rowTop = laneTop + lanePad + Double(row) * rowPitch
                let label = clean(span.label)
                var group = "<g class=\"tl-span tl-c\(lane % 6)\"><title>\(HTML.escape(label)): "
                    + "\(number(span.start))–\(number(span.end)) ms</title>"
                    + "<rect x=\"\(number(left))\" y=\"\(number(rowTop))\" width=\"\(number(right - left))\" "
                    + "height=\"\(number(barHeight))\" rx=\"3\"/>"
                if let shown = fit(label, width: right - left - 8) {
                    group += "<text class=\"tl-label\" x=\"\(number(left + 4))\" y=\"\(number(rowTop + 13))\">"
                        + "\(HTML.escape(shown))</text>"
                }
                out.append(group + "</g>")
            }
            out.append("</g>")
        }
        return out
    }

    private static func axis(_ layout: Layout) -> [String] {
        var out = ["<g class=\"tl-axis\"><line x1=\"\(number(layout.plotLeft))\" y1=\"\(number(layout.axisY))\" "
                   + "x2=\"\(number(layout.x(Double(layout.ticks) * layout.step)))\" y2=\"\(number(layout.axisY))\"/>"]
        for tick in 0...layout.ticks {
            let tx = number(layout.x(Double(tick) * layout.step))
            let value = number(Double(tick) * layout.step) + (tick == layout.ticks ? " ms" : "")
            out.append("<line x1=\"\(tx)\" y1=\"\(number(layout.axisY))\" x2=\"\(tx)\" y2=\"\(number(layout.axisY + 4))\"/>"
                       + "<text class=\"tl-tick\" x=\"\(tx)\" y=\"\(number(layout.axisY + 16))\" text-anchor=\"middle\">\(value)</text>")
        }
        out.append("</g>")
        return out
    }

    private static func description(_ timeline: Timeline, lanes: [String],
                                    rows: [[(span: Timeline.Span, row: Int)]], recorded: Int) -> String {
        let spans = rows.flatMap { $0.map(\.span) }
        var text = "\(plural(lanes.count, "lane")), \(plural(spans.count, "span")) over \(number(Timeline.duration(of: spans))) ms."
        if recorded > spans.count { text.insert(contentsOf: " (the first \(spans.count) of \(recorded))", at: text.index(before: text.endIndex)) }
        if timeline.runs > 1 { text += " Run \(timeline.run) of \(timeline.runs), the median by duration." }
        var told = 0
        for lane in lanes.indices {
            for (index, (span, _)) in rows[lane].enumerated() {
                let item = (index == 0 ? " \(lanes[lane]): " : ", ")
                    + "\(clean(span.label)) from \(number(span.start)) to \(number(span.end)) ms"
                if text.count + item.count > 560 {
                    return text + (text.hasSuffix(".") ? "" : ".") + " And \(plural(spans.count - told, "more span"))."
                }
                text += item
                told += 1
            }
            if !rows[lane].isEmpty { text += "." }
        }
        return text
    }

    // MARK: Shared with DistributionChart

    /// A number with at most one decimal, the same on every machine (no locale, no exponent).
    static func number(_ value: Double) -> String {
        let tenths = Int((min(max(value.isFinite ? value : 0, -1e12), 1e12) * 10).rounded())
        let sign = tenths < 0 ? "-" : "", magnitude = tenths.magnitude
        return magnitude % 10 == 0 ? "\(sign)\(magnitude / 10)" : "\(sign)\(magnitude / 10).\(magnitude % 10)"
    }

    /// A round step (1, 2 or 5 × 10ⁿ, at least 0.1 so ticks need one decimal) giving at most 8 ticks.
    static func niceStep(_ maximum: Double) -> Double {
        let target = max(maximum, 0.1) / 8
        var power = 0.1
        while power * 10 <= target { power *= 10 }
        return [1.0, 2, 5, 10].map { $0 * power }.first { $0 >= target } ?? power * 10
    }

    /// Estimated width in viewBox units: monospace at ~0.6 em, East Asian wide characters and emoji twice that.
    static func textWidth(_ text: String, fontSize: Double = fontSize) -> Double {
        text.reduce(0) { width, character in
            let scalar = character.unicodeScalars.first!.value
            let wide = (0x1100...0x115F).contains(scalar) || (0x2E80...0xA4CF).contains(scalar)
                || (0xAC00...0xD7A3).contains(scalar) || (0xF900...0xFAFF).contains(scalar)
                || (0xFF00...0xFF60).contains(scalar) || (0x1F300...0x1FAFF).contains(scalar) || scalar >= 0x20000
            return width + fontSize * (wide ? 1.2 : 0.6)
        }
    }

    /// The text if it fits `width`, else as much as fits followed by "…"; nil when not even one character does.
    static func fit(_ text: String, width: Double, fontSize: Double = fontSize) -> String? {
        if textWidth(text, fontSize: fontSize) <= width { return text }
        var shown = "", used = textWidth("…", fontSize: fontSize)
        for character in text {
            used += textWidth(String(character), fontSize: fontSize)
            if used > width { break }
            shown.append(character)
        }
        return shown.isEmpty ? nil : shown + "…"
    }

    /// Control characters (newlines, tabs, NUL) are not allowed in XML text and mean nothing in a label.
    static func clean(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : $0 }))
    }

    /// Only letters, digits and `-` survive, so the id is safe inside an attribute and a CSS selector.
    static func htmlID(_ id: String, fallback: String) -> String {
        let kept = String(String.UnicodeScalarView(id.unicodeScalars.filter {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-"
        }))
        return kept.isEmpty ? fallback : kept
    }

    static func plural(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }
}
