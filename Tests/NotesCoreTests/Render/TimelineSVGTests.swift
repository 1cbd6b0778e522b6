import Foundation
import Testing
@testable import NotesCore

/// The build-time SVG charts: a `timeline` snippet's spans (TimelineSVG) and a `repeat=` snippet's
/// distinct outputs (DistributionChart). Pure functions, so no compiler is needed.
///
/// When the drawing changes on purpose, regenerate the golden file and review it (and the diff):
///
///     NOTES_UPDATE_GOLDEN=1 swift test --filter TimelineSVGTests
///     git diff Tests/NotesCoreTests/Render/Golden/timeline.svg
@Suite("Render: timeline and distribution charts")
struct TimelineSVGTests {
    /// Three lanes, six spans (`decompress chunk` nested in `download`), a label to escape, one too
    /// long for its span, and the median run of five.
    static let sample = Timeline(
        lanes: ["main thread", "thread 2", "task 1"],
        spans: [
            .init(lane: 0, label: "fetch 1", start: 0, end: 101.25),
            .init(lane: 0, label: #"parse <json> & "decode""#, start: 101.25, end: 180),
            .init(lane: 1, label: "download", start: 12.5, end: 140),
            .init(lane: 1, label: "decompress chunk", start: 40, end: 90.04),
            .init(lane: 2, label: "task body", start: 150, end: 205.7),
            .init(lane: 2, label: "a label too long to fit in this short span", start: 210, end: 240),
        ],
        run: 2, runs: 5)

    static func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    /// Every `id="…"` value, and every id an `aria-labelledby`/`aria-describedby` refers to.
    static func ids(in html: String) -> (defined: [String], referenced: [String]) {
        func values(after marker: String) -> [String] {
            html.components(separatedBy: marker).dropFirst().map { String($0.prefix { $0 != "\"" }) }
        }
        let referenced = (values(after: #"aria-labelledby=""#) + values(after: #"aria-describedby=""#))
            .flatMap { $0.split(separator: " ").map(String.init) }
        return (values(after: #" id=""#), referenced)
    }

    @Test func timelineMatchesGolden() throws {
        let svg = TimelineSVG.svg(Self.sample, title: "Timeline of the fetch example", id: "snippet-3-timeline")
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Golden").appendingPathComponent("timeline.svg")
        if try rewroteGolden(svg + "\n", at: source) { return }
        let bundled = Bundle.module.url(forResource: "timeline", withExtension: "svg", subdirectory: "Golden")
        let url = try #require(bundled, "Golden/timeline.svg is missing; run with NOTES_UPDATE_GOLDEN=1 to create it")
        let golden = try String(contentsOf: url, encoding: .utf8)
        // Byte for byte: the output must not depend on the machine, the locale or the run.
        #expect(svg + "\n" == golden, "timeline SVG differs from Golden/timeline.svg (if intended: NOTES_UPDATE_GOLDEN=1)")
    }

    @Test func everyPieceOfTextIsEscaped() {
        let timeline = Timeline(lanes: [#"lane <&"'>"#], spans: [.init(lane: 0, label: #"<&"'> span"#, start: 0, end: 10)])
        let svg = TimelineSVG.svg(timeline, title: #"title <&">"#, id: "t")
        #expect(!svg.contains("<&"), "raw markup characters reached the SVG")
        #expect(svg.contains("lane &lt;&amp;&quot;&#39;&gt;"))
        #expect(svg.contains("&lt;&amp;&quot;&#39;&gt; span"))
        #expect(svg.contains("title &lt;&amp;&quot;&gt;</title>"))

        let chart = DistributionChart.svg([(#"<b>"bold" & 'x'</b>"#, 3), ("plain", 1)], total: 4, id: "d")
        #expect(!chart.contains("<b>"))
        #expect(chart.contains("&lt;b&gt;&quot;bold&quot; &amp; &#39;x&#39;&lt;/b&gt;"))
    }

    @Test func oneRowPerLaneEvenWithoutSpans() {
        let timeline = Timeline(lanes: ["main thread", "thread 2", "task 1", "task 2"],
                                spans: [.init(lane: 0, label: "a", start: 0, end: 5), .init(lane: 2, label: "b", start: 1, end: 3)])
        let svg = TimelineSVG.svg(timeline, title: "t", id: "t")
        #expect(Self.count(#"<g class="tl-lane">"#, in: svg) == 4)
        #expect(Self.count(#"class="tl-name""#, in: svg) == 4)
        #expect(Self.count(#"<g class="tl-span"#, in: svg) == 2)
        #expect(svg.contains(#"<g class="tl-span tl-c2">"#), "spans take their lane's colour")
    }

    @Test func nestedSpanGoesOnARowBelowItsParent() throws {
        let timeline = Timeline(lanes: ["main thread"], spans: [
            .init(lane: 0, label: "outer", start: 0, end: 100),
            .init(lane: 0, label: "inner", start: 10, end: 50),
            .init(lane: 0, label: "after", start: 100, end: 120),
        ])
        let svg = TimelineSVG.svg(timeline, title: "t", id: "t")
        func rowTop(_ label: String) throws -> String {
            let element = try #require(svg.components(separatedBy: "<title>\(label):").dropFirst().first)
            return String(try #require(element.components(separatedBy: #" y=""#).dropFirst().first).prefix { $0 != "\"" })
        }
        #expect(try rowTop("outer") == rowTop("after"), "a span starting as another ends shares its row")
        #expect(try Double(rowTop("inner"))! > Double(rowTop("outer"))!)
    }

    @Test func emptyTimelineIsANoteNotAnSVG() {
        for timeline in [Timeline(lanes: ["main thread"], spans: []),
                         Timeline(lanes: [], spans: [.init(lane: 3, label: "nowhere", start: 0, end: 1)])] {
            let html = TimelineSVG.svg(timeline, title: "t", id: "t")
            #expect(!html.contains("<svg"))
            #expect(html.contains("timeline-empty"))
        }
    }

    @Test func captionAndDescriptionNameTheMedianRun() {
        let svg = TimelineSVG.svg(Self.sample, title: "t", id: "t")
        #expect(svg.contains("<figcaption>Timeline · run 2 of 5 (median duration)</figcaption>"))
        #expect(svg.contains("3 lanes, 6 spans over 240 ms. Run 2 of 5, the median by duration. main thread: fetch 1 from 0 to 101.3 ms"))
        var single = Self.sample
        (single.run, single.runs) = (1, 1)
        let one = TimelineSVG.svg(single, title: "t", id: "t")
        #expect(one.contains("<figcaption>Timeline</figcaption>"))
        #expect(!one.contains("median"))
    }

    @Test func longLabelsAreCutWithAnEllipsisAndDescriptionsCapped() {
        let svg = TimelineSVG.svg(Self.sample, title: "t", id: "t")
        #expect(svg.contains(">a label…</text>"))
        #expect(svg.contains("<title>a label too long to fit in this short span: 210–240 ms</title>"), "the whole label stays as a tooltip")

        let many = Timeline(lanes: ["main thread"], spans: (0..<300).map { (index: Int) -> Timeline.Span in
            Timeline.Span(lane: 0, label: "span number \(index)", start: Double(index), end: Double(index) + 1)
        })
        let desc = String(TimelineSVG.svg(many, title: "t", id: "t").components(separatedBy: "<desc")[1].prefix { $0 != "\n" })
        #expect(desc.count < 700)
        #expect(desc.contains("more spans.</desc>"))
    }

    @Test func aLoopOfSpansIsCutToTheEarliest() {
        let count = TimelineSVG.maxSpans + 100
        let loop = Timeline(lanes: ["main thread"], spans: (0..<count).reversed().map { (index: Int) -> Timeline.Span in
            Timeline.Span(lane: 0, label: "step \(index)", start: Double(index), end: Double(index) + 0.5)
        })
        let svg = TimelineSVG.svg(loop, title: "t", id: "t")
        #expect(Self.count(#"<g class="tl-span"#, in: svg) == TimelineSVG.maxSpans)
        #expect(svg.contains("<title>step 0:") && !svg.contains("<title>step \(TimelineSVG.maxSpans):"), "the earliest are kept")
        #expect(svg.contains("<figcaption>Timeline · first \(TimelineSVG.maxSpans) of \(count) spans</figcaption>"))
    }

    @Test func numbersAndTicksDoNotDependOnTheMachine() {
        #expect(TimelineSVG.number(101.25) == "101.3")
        #expect(TimelineSVG.number(100) == "100")
        #expect(TimelineSVG.number(-0.04) == "0")
        #expect(TimelineSVG.number(-1.5) == "-1.5")
        #expect(TimelineSVG.number(.nan) == "0")
        #expect(TimelineSVG.niceStep(240) == 50)
        #expect(TimelineSVG.niceStep(1000) == 200)
        #expect(TimelineSVG.niceStep(0.37) == 0.1)
        #expect(TimelineSVG.niceStep(0) == 0.1)
    }

    @Test func distributionChartCapsBarsAtTwelveAndSumsTheRest() {
        // 20 distinct outputs seen 20, 19, …, 1 times: 11 bars, then "other" for the last 9 (9 + 8 + … + 1 = 45).
        let outputs = (0..<20).map { (output: "output \($0)\n", count: 20 - $0) }
        let svg = DistributionChart.svg(outputs, total: 210, id: "d")
        #expect(Self.count(#"class="dc-bar"#, in: svg) == 12)
        #expect(Self.count(#"class="dc-bar dc-other""#, in: svg) == 1)
        #expect(svg.contains(">other (9 outputs)</text>"))
        #expect(svg.contains(">45 (21%)</text>"))
        #expect(svg.contains("210 runs, 20 distinct outputs: 20 × “output 0”"))
        #expect(!svg.contains("output 11<"), "outputs past the eleventh are only in the sum")

        let twelve = DistributionChart.svg(Array(outputs.prefix(12)), total: 174, id: "d")
        #expect(Self.count(#"class="dc-bar"#, in: twelve) == 12)
        #expect(!twelve.contains("dc-other"))
    }

    @Test func distributionLabelsAreTheFirstLineCut() {
        #expect(DistributionChart.labels(["0 1 2\n"]) == ["0 1 2"])
        #expect(DistributionChart.labels(["first\nsecond\n"]) == ["first …"])
        #expect(DistributionChart.labels([String(repeating: "x", count: 60)]) == [String(repeating: "x", count: 39) + "…"])
        #expect(DistributionChart.labels([""]) == ["(no output)"])
    }

    /// Outputs that share their first lines are labelled by the first line that tells them apart.
    @Test func distributionLabelsSkipTheLinesEveryOutputShares() {
        let outputs = ["expected: 400000\nactual: 400000\n", "expected: 400000\nactual: 358874\n", "expected: 400000\n"]
        #expect(DistributionChart.labels(outputs) == ["expected: 400000 …", "expected: 400000 …", "expected: 400000"])
        #expect(DistributionChart.labels(Array(outputs.prefix(2))) == ["… actual: 400000", "… actual: 358874"])
    }

    @Test func idsArePrefixedByTheGivenID() {
        for html in [TimelineSVG.svg(Self.sample, title: "t", id: "lesson-2-snippet-4"),
                     DistributionChart.svg([("a", 2), ("b", 1)], total: 3, id: "lesson-2-snippet-4")] {
            let (defined, referenced) = Self.ids(in: html)
            #expect(defined.count == 2)
            #expect(defined.allSatisfy { $0.hasPrefix("lesson-2-snippet-4-") }, "\(defined)")
            #expect(Set(defined).count == defined.count, "ids are unique")
            #expect(Set(referenced) == Set(defined), "aria attributes refer to the title and desc")
        }
        // Whatever the caller passes, an id stays a plain token.
        let (defined, _) = Self.ids(in: TimelineSVG.svg(Self.sample, title: "t", id: #"a b"<c>"#))
        #expect(defined == ["abc-title", "abc-desc"])
    }
}
