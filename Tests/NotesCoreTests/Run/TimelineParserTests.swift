import Dispatch
import Foundation
import Testing
@testable import NotesCore
#if canImport(Glibc)
import Glibc
#endif

/// The timeline file (`notes-timeline.tsv`): parsed, cut short and made hostile; drawn without trusting it.
extension RunArtifactParserTests {
    // MARK: Timeline (notes-timeline.tsv)

    /// The recorded file's spans, by start: lane, label, start and end in ns.
    static let recordedSpans: [(lane: Int, label: String, start: Int64, end: Int64)] = [
        (0, "sum on main", 461_944_826_656, 461_945_685_596),
        (1, "worker 1", 461_946_062_047, 461_966_334_964),
        (2, "worker 2", 461_946_085_473, 461_966_158_264),
        (3, "fetch 1", 462_046_565_583, 462_067_065_916),
        (4, "fetch 2", 462_046_728_444, 462_066_851_896),
        (5, "fetch 3", 462_046_735_290, 462_067_026_912),
        (6, #"load "x""#, 462_067_230_477, 462_072_392_188),
        (0, "outer", 462_072_510_383, 462_077_742_744),
        (0, "inner", 462_072_510_832, 462_077_660_647),
    ]

    @Test func recordedTimelineParsesIntoLanesAndSpans() throws {
        let timeline = try #require(Timeline.parse(RecordedRunLogs.timeline))
        // The unnamed task first seen on the main thread is the main task (its spans `outer` and `inner`
        // ran on a pool thread later); threads and tasks are numbered in order of their first span.
        #expect(timeline.lanes == ["main task", "thread 1", "thread 2", "task 1", "task 2", "task 3", "loader <b>&"])
        let origin = Self.recordedSpans[0].start
        #expect(timeline.spans == Self.recordedSpans.map {
            Timeline.Span(lane: $0.lane, label: $0.label, start: Double($0.start - origin) / 1e6, end: Double($0.end - origin) / 1e6)
        })
        #expect(!timeline.truncated)
        #expect(abs(timeline.duration - 132.916088) < 1e-9)

        let svg = TimelineSVG.svg(timeline, title: "Timeline of snippet 1", id: "s1")
        Self.expectOnlyOwnMarkup(svg)
        #expect(svg.contains(">loader &lt;b&gt;&amp;</text>"))
        #expect(svg.contains("<title>load &quot;x&quot;: "))
        #expect(svg.contains("<figcaption>Timeline</figcaption>"))
    }

    @Test func recordedTimelineCutAnywhereKeepsItsWholeLines() throws {
        let full = RecordedRunLogs.timeline
        let fullLines = full.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false) }
        for cut in Self.cutPoints(full) {
            let text = Self.prefix(full, bytes: cut)
            let whole = Self.wholeLines(text)
            let parsed = Timeline.parse(text)
            // A line without its newline was cut short: it is not read, so the cut file reads as its whole lines.
            #expect(parsed == Timeline.parse(whole), "cut at \(cut)")
            let kept = fullLines.prefix(whole.split(separator: "\n").count)
            guard let parsed else {
                #expect(kept.isEmpty, "cut at \(cut)")
                continue
            }
            #expect(parsed.spans.map(\.label).sorted() == kept.map { String($0[5]) }.sorted(), "cut at \(cut)")
            // Each span lasts what it lasted in the whole file, whichever span comes first.
            for line in kept {
                let span = try #require(parsed.spans.first { $0.label == line[5] })
                #expect(abs((span.end - span.start) - Double(Int64(line[4])! - Int64(line[3])!) / 1e6) < 1e-6)
            }
            #expect(parsed.spans.allSatisfy { parsed.lanes.indices.contains($0.lane) && 0 <= $0.start && $0.start <= $0.end })
        }
    }

    @Test func hostileTimesAreSkippedWithoutATrap() throws {
        let forged = [
            "main\t\t\t-9223372036854775808\t9223372036854775807\tfrom Int64.min to Int64.max",
            "main\t\t\t-9223372036854775808\t-9223372036854775808\tInt64.min",
            "main\t\t\t-5\t10\tnegative start",
            "main\t\t\t20\t10\tends before it starts",
            "main\t\t\t9223372036854775808\t9223372036854775809\tpast Int64.max",
            "main\t\t\t99999999999999999999999999\t1\toverflowing",
            "main\t\t\tnan\tinf\tnot numbers",
            "main\t\t\t1e9\t2e9\texponents",
            "main\t\t\t0x10\t0x20\thex",
            "main\t\t\t\t\tempty times",
            "main\t\t\t1\t2",
            "main\t\t\t1\t2\tseven\tfields",
            "\t",
            "",
        ].joined(separator: "\n") + "\n"
        #expect(Timeline.parse(forged) == nil, "no line is one timeline.swift writes")

        // Int64.max is a time CLOCK_MONOTONIC could reach: kept, with no overflow whatever the origin,
        // and beyond what the drawing places.
        let extremes = "main\t\t\t0\t9223372036854775807\tthe longest\n"
            + "1\t\t\t9223372036854775807\t9223372036854775807\tthe latest\n"
            + "2\t\t\t0\t0\tthe shortest\n" + RecordedRunLogs.timeline
        let timeline = try #require(Timeline.parse(extremes))
        #expect(timeline.spans.count == 12)
        #expect(timeline.spans.allSatisfy { $0.start.isFinite && $0.end.isFinite && 0 <= $0.start && $0.start <= $0.end })
        #expect(timeline.spans.contains { $0.label == "the longest" && $0.end == Double(Int64.max) / 1e6 })
        #expect(timeline.duration == Double(Int64.max) / 1e6)
        let svg = TimelineSVG.svg(timeline, title: "t", id: "t")
        Self.expectOnlyOwnMarkup(svg)
        #expect(!svg.contains("the longest") && !svg.contains("the latest"), "spans past 30 years are not placed")
        #expect(svg.contains("<title>the shortest: 0–0 ms</title>"))
    }

    @Test func aMillionRowsKeepTheFirstTenThousandSpans() throws {
        let rows = String(repeating: "main\t\t\t1000\t2000\tagain and again\n", count: 1_000_000)
        let timeline = try #require(Timeline.parse("main\t\t\t0\t1000\tfirst\n" + rows))
        #expect(timeline.spans.count == Timeline.maxSpans)
        #expect(timeline.truncated)
        #expect(timeline.spans.first?.label == "first")
        #expect(timeline.lanes == ["main thread"])
        let svg = TimelineSVG.svg(timeline, title: "t", id: "t")
        #expect(Self.count("<g class=\"tl-span", in: svg) == TimelineSVG.maxSpans)
        #expect(svg.contains("<figcaption>Timeline · first \(TimelineSVG.maxSpans) of \(Timeline.maxSpans) spans · the program recorded more than notes keeps</figcaption>"))
    }

    @Test func thousandsOfLanesAreCapped() throws {
        let text = (0..<5_000).map { "\($0)\t\t\t\($0)\t\($0 + 1)\tspan \($0)\n" }.joined()
            + (0..<5_000).map { "7\t\($0)\ttask \($0)\t\($0)\t\($0 + 2)\tin task \($0)\n" }.joined()
        let timeline = try #require(Timeline.parse(text))
        #expect(timeline.lanes.count == Timeline.maxLanes)
        #expect(timeline.truncated)
        #expect(timeline.spans.allSatisfy { timeline.lanes.indices.contains($0.lane) })
        // The earliest lanes: their spans are all kept.
        #expect(timeline.lanes.prefix(3) == ["thread 1", "task 0", "thread 2"])
        let svg = TimelineSVG.svg(timeline, title: "t", id: "t")
        #expect(Self.count("<g class=\"tl-lane\">", in: svg) == Timeline.maxLanes)
        Self.expectOnlyOwnMarkup(svg)
    }

    @Test func aTenMegabyteLineIsCut() throws {
        // One line of 10 MB (more than BoundedFile lets through), the others of 1 MB: a debug build is slow.
        let huge = String(repeating: "x", count: 10 << 20), large = String(repeating: "y", count: 1 << 20)
        let text = "main\t\t\(large)\t0\t5\t\(huge)\n"        // a task name and a label too long: cut
            + "\(large)\t\t\t0\t5\tforged thread\n"            // a thread that no pthread_self is: skipped
            + "main\t\(large)\t\t0\t5\tforged task\n"
            + "main\t\t\t0\t\(large)\tforged time\n"
            + large + "\n"
        let timeline = try #require(Timeline.parse(text))
        #expect(timeline.spans.count == 1)
        #expect(timeline.spans[0].label == String(repeating: "x", count: Timeline.maxLabel) + "…")
        #expect(timeline.lanes == ["main thread"], "a span outside tasks is its thread's")

        // One Character of a million scalars is cut by scalars too.
        let combining = "e" + String(repeating: "\u{301}", count: 1_000_000)
        let cut = try #require(Timeline.parse("main\t1\t\(combining)\t0\t5\t\(combining)\n"))
        #expect(cut.lanes[0].unicodeScalars.count == Timeline.maxLabel + 1)
        #expect(cut.spans[0].label.unicodeScalars.count == Timeline.maxLabel + 1)
        Self.expectOnlyOwnMarkup(TimelineSVG.svg(cut, title: "t", id: "t"))
    }

    @Test func nulBytesAndInvalidUTF8ReachNoDrawing() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        var bytes = Array("main\t\t\t0\t5\tnul \0 and ".utf8) + [0xFF, 0xFE, 0xC3] + Array(" invalid\n".utf8)
        bytes += Array("1\t\tname\u{0}\t1\t2\t\u{7}\u{1B}[31m\r\n".utf8) + [0xE2, 0x82]  // a cut last line
        let file = folder.path("notes-timeline.tsv")
        try Data(bytes).write(to: file)
        let read = try BoundedFile.read(file.path, limit: BoundedFile.timelineLimit)
        #expect(read.bytes == bytes && !read.truncated)
        let timeline = try #require(Timeline.parse(read.text))
        #expect(timeline.spans.map(\.label) == ["nul \0 and \u{FFFD}\u{FFFD}\u{FFFD} invalid", "\u{7}\u{1B}[31m\r"])
        let svg = TimelineSVG.svg(timeline, title: "t", id: "t")
        Self.expectOnlyOwnMarkup(svg)
        #expect(svg.contains("nul   and \u{FFFD}\u{FFFD}\u{FFFD} invalid"), "control characters become spaces")
    }

    @Test func labelsCannotInjectMarkupIntoTheDrawing() throws {
        let attacks = [#"</text><script>alert(1)</script>"#, #"<svg onload="alert(1)">"#, #"]]><!-- & &amp; &#x3c;"#,
                       #"" onmouseover="alert(1)"#, "<![CDATA[x]]>", "<foreignObject><iframe src=x></iframe>"]
        var text = ""
        for (index, attack) in attacks.enumerated() {
            text += "main\t\(index + 1)\t\(attack)\t\(index)\t\(index + 10)\t\(attack)\n"
        }
        let timeline = try #require(Timeline.parse(text))
        #expect(timeline.lanes == attacks)
        let svg = TimelineSVG.svg(timeline, title: "<script>alert(1)</script>", id: "x\"><script>")
        Self.expectOnlyOwnMarkup(svg)
        #expect(svg.contains("&lt;/text&gt;&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!svg.contains("<script") && !svg.contains("<iframe") && !svg.contains(#"" onmouseover"#))
    }

    /// A Timeline is also decoded from the cache, so the drawing trusts none of its numbers either.
    @Test func aForgedTimelineDrawsFiniteAndCapped() {
        var spans: [Timeline.Span] = [
            .init(lane: 0, label: "nan", start: .nan, end: 1), .init(lane: 0, label: "inf", start: 0, end: .infinity),
            .init(lane: 0, label: "-inf", start: -.infinity, end: 0), .init(lane: 0, label: "huge", start: 0, end: 1e300),
            .init(lane: 0, label: "-huge", start: -1e300, end: 0), .init(lane: -1, label: "no lane", start: 0, end: 1),
            .init(lane: Int.max, label: "Int.max lane", start: 0, end: 1), .init(lane: Int.min, label: "Int.min", start: 0, end: 1),
            .init(lane: 1, label: "backwards", start: 50, end: 10), .init(lane: 2, label: "negative", start: -20, end: -10),
            .init(lane: 3, label: "at the limit", start: 0, end: TimelineSVG.maxTime),
            .init(lane: 4, label: "tiny", start: 1e-300, end: 2e-300),
        ]
        spans += (0..<20_000).map { Timeline.Span(lane: $0 % Timeline.maxLanes, label: "s\($0)", start: Double($0), end: Double($0) + 0.5) }
        let lanes = (0..<10_000).map { "lane \($0) " + String(repeating: "<", count: $0 % 300) }
        let svg = TimelineSVG.svg(Timeline(lanes: lanes, spans: spans, run: Int.max, runs: Int.min), title: "t", id: "t")
        Self.expectOnlyOwnMarkup(svg)
        #expect(Self.count("<g class=\"tl-lane\">", in: svg) == Timeline.maxLanes)
        #expect(Self.count("<g class=\"tl-span", in: svg) == TimelineSVG.maxSpans)
        for label in ["nan", "inf", "-inf", "huge", "-huge", "no lane", "Int.max lane", "Int.min"] {
            #expect(!svg.contains("<title>\(label):"), "\(label) is not placed")
        }
        #expect(svg.utf8.count < 400_000)

        let none = TimelineSVG.svg(Timeline(lanes: [], spans: [.init(lane: 0, label: "x", start: .nan, end: .nan)]), title: "t", id: "t")
        #expect(none.contains("timeline-empty"))
    }

    static func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }
}
