import Dispatch
import Foundation
import Testing
@testable import NotesCore
#if canImport(Glibc)
import Glibc
#endif

/// What notes reads after a run, which the program could have written, forged or cut short (issue 23):
/// ThreadSanitizer's logs (RaceReport), the timeline file (Timeline, drawn by TimelineSVG), gdb's
/// thread dump (ThreadDump), the symbolizer's and demangler's answers (Symbols), and the reads
/// themselves (BoundedFile). The fixtures are real recordings (Logs/RecordedRunLogs.swift); each is
/// parsed whole, cut short anywhere, and made hostile. No compiler, no gdb: the tools' answers are
/// replayed from recordings by small scripts.
@Suite("Run: parsing what a run leaves behind (TSan logs, timelines, gdb dumps, tool output, bounded reads)")
struct RunArtifactParserTests {
    // MARK: Helpers

    /// The first `count` bytes of `text`, decoded as BoundedFile decodes them (a cut character is U+FFFD).
    static func prefix(_ text: String, bytes count: Int) -> String {
        String(decoding: Array(text.utf8.prefix(count)), as: UTF8.self)
    }

    /// Byte offsets to cut `text` at: every line end and the bytes either side of it, and every 41st byte.
    static func cutPoints(_ text: String) -> [Int] {
        let bytes = Array(text.utf8)
        var points = Set(stride(from: 0, through: bytes.count, by: 41))
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            points.formUnion([index, index + 1, index + 2].filter { $0 <= bytes.count })
        }
        return points.sorted()
    }

    /// The whole lines of `text`: up to and with its last newline.
    static func wholeLines(_ text: String) -> String {
        guard let last = text.lastIndex(of: "\n") else { return "" }
        return String(text[...last])
    }

    /// A stand-in for llvm-symbolizer or swift-demangle answering from recordings: a shell script that
    /// skips `--` options and, for each other argument, prints the recorded lines, else runs `otherwise`
    /// (where `$a` is the argument).
    static func replayTool(_ answers: [String: [String]], otherwise: String, in folder: TemporaryFolder,
                           name: String, prelude: String = "") throws -> String {
        func quoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: #"'\''"#) + "'" }
        var script = "#!/bin/sh\n\(prelude)for a in \"$@\"; do\n  case \"$a\" in\n    --*) ;;\n"
        for (argument, lines) in answers.sorted(by: { $0.key < $1.key }) {
            script += "    \(quoted(argument))) printf '%s\\n' \(lines.map(quoted).joined(separator: " ")) ;;\n"
        }
        script += "    *) \(otherwise) ;;\n  esac\ndone\n"
        let url = try folder.write(name, script)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        return url.path
    }

    /// The recorded tools: a symbolizer (a block per address, `??` for one it does not know, as the real
    /// one answers) and a demangler (names it does not know come back as they are).
    static func recordedSymbols(_ symbolizer: [String: [String]], in folder: TemporaryFolder) throws -> Symbols {
        let symbolize = try replayTool(symbolizer.mapValues { $0 + [""] }, otherwise: #"printf '%s\n' '??' '??:0:0' ''"#,
                                       in: folder, name: "llvm-symbolizer")
        let demangle = try replayTool(RecordedRunLogs.demangler.mapValues { [$0] }, otherwise: #"printf '%s\n' "$a""#,
                                      in: folder, name: "swift-demangle")
        return Symbols(demangler: demangle, symbolizer: symbolize)
    }

    /// Every tag in `html` is one the drawing makes, and every `&` starts an entity: no markup of a
    /// label, lane or title got through.
    static func expectOnlyOwnMarkup(_ html: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let tags: Set<String> = ["figure", "svg", "title", "desc", "g", "rect", "line", "text", "figcaption", "p"]
        for piece in html.components(separatedBy: "<").dropFirst() {
            let name = String(piece.drop { $0 == "/" }.prefix { $0.isLetter })
            #expect(tags.contains(name), "unexpected tag <\(name.prefix(40))", sourceLocation: sourceLocation)
        }
        for piece in html.components(separatedBy: "&").dropFirst() {
            #expect(["lt;", "gt;", "amp;", "quot;", "#39;"].contains { piece.hasPrefix($0) },
                    "a bare & before \(piece.prefix(20).debugDescription)", sourceLocation: sourceLocation)
        }
        #expect(!html.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "a control character reached the SVG",
                sourceLocation: sourceLocation)
        for number in ["=\"nan", "=\"-nan", "=\"inf", "=\"-inf"] {
            #expect(!html.contains(number), "a number that is not one", sourceLocation: sourceLocation)
        }
    }

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

    // MARK: RaceReport (ThreadSanitizer's log_path files)

    /// The recorded log's two races, with no tools (names stay mangled, addresses unplaced).
    static let recordedRaces = [
        RaceReport(kind: "Swift access race", accesses: [
            .init(kind: "modifying access of Swift variable", thread: "thread 2", function: "$s4main4bumpyyF", page: "02-races.md"),
            .init(kind: "previous write", thread: "thread 1", function: "$s4main4bumpyyF", page: "02-races.md", line: 6),
        ], location: "global '$s4main7counterSivp'"),
        RaceReport(kind: "Swift access race", accesses: [
            .init(kind: "modifying access of Swift variable", thread: "thread 3", function: "$s4mainyyYbcfU1_", page: "02-races.md"),
            .init(kind: "previous write", thread: "main thread", function: "top-level code", page: "02-races.md", line: 15),
        ], location: "an object on the heap"),
    ]

    static func races(_ log: String, symbols: Symbols = Symbols()) -> [RaceReport] {
        RaceReport.parse(log, pages: ["02-races.md"], binary: "/tmp/rec/main", symbols: symbols)
    }

    @Test func recordedTSanLogParsesIntoItsRaces() {
        #expect(Self.races(RecordedRunLogs.tsan) == Self.recordedRaces)
        // Two logs, as notes joins them (one per process), hold the same races: one report each.
        #expect(Self.races(RecordedRunLogs.tsan + "\n" + RecordedRunLogs.tsan) == Self.recordedRaces)
    }

    @Test func recordedTSanLogWithTheToolsRecordedAnswers() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let races = Self.races(RecordedRunLogs.tsan, symbols: try Self.recordedSymbols(RecordedRunLogs.racesSymbolizer, in: folder))
        #expect(races == [
            RaceReport(kind: "Swift access race", accesses: [
                // TSan gave no line; the instruction after the instrumentation call has one.
                .init(kind: "modifying access of Swift variable", thread: "thread 2", function: "bump()", page: "02-races.md", line: 6),
                .init(kind: "previous write", thread: "thread 1", function: "bump()", page: "02-races.md", line: 6),
            ], location: "global 'counter'"),
            RaceReport(kind: "Swift access race", accesses: [
                // Line 0 is no line: it stays without one.
                .init(kind: "modifying access of Swift variable", thread: "thread 3", function: "closure #3 in top-level code", page: "02-races.md"),
                .init(kind: "previous write", thread: "main thread", function: "top-level code", page: "02-races.md", line: 15),
            ], location: "an object on the heap"),
        ])
        #expect(races[0].text() == """
            ThreadSanitizer: Swift access race on global 'counter'
              modifying access of Swift variable by thread 2, in bump() at 02-races.md:6
              previous write by thread 1, in bump() at 02-races.md:6
            """)
    }

    @Test func recordedTSanLogCutAnywhereIsAConsistentPrefix() {
        let full = Self.recordedRaces
        for cut in Self.cutPoints(RecordedRunLogs.tsan) {
            let races = Self.races(Self.prefix(RecordedRunLogs.tsan, bytes: cut))
            #expect(races.count <= full.count, "cut at \(cut)")
            for (index, race) in races.enumerated() {
                let whole = full[index]
                guard index == races.count - 1 else {
                    #expect(race == whole, "cut at \(cut): a report before the last is whole")
                    continue
                }
                // The last report may lack accesses, where the variable is, and an access its frames.
                #expect(race.kind == whole.kind, "cut at \(cut)")
                #expect(race.location == whole.location || race.location == "an unknown location", "cut at \(cut)")
                #expect(race.accesses.count <= whole.accesses.count, "cut at \(cut)")
                for (access, wholeAccess) in zip(race.accesses, whole.accesses) {
                    #expect(access == wholeAccess || (access.kind == wholeAccess.kind && access.thread == wholeAccess.thread
                                                      && access.page == nil && access.line == nil), "cut at \(cut): \(access)")
                }
            }
        }
    }

    /// One report as TSan writes it, of a global `name` written in `function` at `line`.
    static func forgedReport(_ name: String, function: String = "$s4main4bumpyyF", line: Int = 6) -> String {
        """
        ==================
        WARNING: ThreadSanitizer: data race (pid=1)
          Write of size 8 at 0x1 by thread T1:
            #0 \(function) /tmp/x/02-races.md:\(line):1 (main+0x10) (BuildId: 0)

          Previous read of size 8 at 0x1 by main thread:
            #0 main /tmp/x/02-races.md:3:1 (main+0x20) (BuildId: 0)

          Location is global '\(name)' of size 8 at 0x1 (main+0x30)

        SUMMARY: ThreadSanitizer: data race
        ==================

        """
    }

    @Test func thousandsOfForgedRacesAreCapped() {
        let distinct = (0..<5_000).map { Self.forgedReport("v\($0)") }.joined()
        let races = Self.races(distinct)
        #expect(races.count == RaceReport.maxReports)
        #expect(races.first?.location == "global 'v0'", "the first are kept")
        #expect(races.allSatisfy { $0.kind == "data race" && $0.accesses.count == 2 })

        // The same race reported thousands of times (and as many forged lines of it) is one race.
        let same = String(repeating: Self.forgedReport("counter"), count: 5_000)
        #expect(Self.races(same).count == 1)
    }

    @Test func forgedReportsParseWithinTheCapsWithoutATrap() {
        let accesses = (0..<5_000).map { "  Write of size 8 at 0x1 by thread T\($0):\n    #0 f /tmp/x/02-races.md:1:1 (main+0x1)\n" }.joined()
        let frames = (0..<10_000).map { "    #\($0) g\($0) /tmp/x/other.swift:1:1 (main+0x\($0))\n" }.joined()
        let forged = [
            "WARNING: ThreadSanitizer: data race (pid=1)\n" + accesses,
            "WARNING: ThreadSanitizer: data race\n  Read of size 1 at 0x2 by thread T1:\n" + frames,
            // Frames with nothing after the function, colons only, numbers that overflow, offsets that wrap.
            """
            WARNING: ThreadSanitizer: Swift access race (pid=
              Read by thread T99999999999999999999999:
                #0 a :::
                #1 b /tmp/x/02-races.md:99999999999999999999:1 (main+0xffffffffffffffff)
                #2 c /tmp/x/02-races.md:-5:1 (main+0x)
                #3 d /tmp/x/02-races.md (main+0xzz)
                #4
                #
              by :
               by thread T1:
              Location is global '
              Location is

            """,
            // An access with its frame on the page, no line, and an offset at UInt64.max: +1 wraps.
            "WARNING: ThreadSanitizer: data race\n  Write by main thread:\n    #0 h /tmp/x/02-races.md (main+0xffffffffffffffff)\n",
            // Not races, a header without accesses, accesses without a header.
            "WARNING: ThreadSanitizer: thread leak (pid=1)\n  Write by thread T1:\n    #0 f /tmp/x/02-races.md:1:1\n",
            "WARNING: ThreadSanitizer: data race\n\n==================\n  Write by thread T1:\n    #0 f /tmp/x/02-races.md:1:1\n",
            "==================\n" + String(repeating: "=", count: 100_000) + "\n",
        ].joined()
        let races = Self.races(forged)
        #expect(races.count == 4)
        #expect(races[0].accesses.count == RaceReport.maxAccesses, "thousands of accesses: the first 8")
        #expect(races[1].accesses == [.init(kind: "read", thread: "thread 1", function: "g0")],
                "no frame on the page: the innermost names the function")
        #expect(races[2].accesses.map(\.line) == [nil])
        #expect(races[3].accesses == [.init(kind: "write", thread: "main thread", function: "h", page: "02-races.md")])
    }

    @Test func aTenMegabyteLineAndInvalidBytesInALog() throws {
        let huge = String(repeating: "f", count: 10 << 20), large = String(repeating: "g", count: 1 << 20)
        let log = "WARNING: ThreadSanitizer: data race \(large)\n  Write of size 8 at 0x1 by thread T1:\n"
            + "    #0 \(huge) /tmp/x/02-races.md:4:1 (main+0x10)\n" + large + "\n" + Self.forgedReport("after")
        let races = Self.races(log)
        #expect(races.count == 2)
        #expect(races[0].kind.unicodeScalars.count <= RaceReport.maxLine)
        #expect(races[0].accesses[0].function.unicodeScalars.count <= RaceReport.maxLine)
        #expect(races[0].accesses[0].line == nil, "its place was past the cut")
        #expect(races[1].location == "global 'after'")

        let folder = try TemporaryFolder()
        defer { folder.remove() }
        var bytes = Array(Self.forgedReport("counter").utf8)
        bytes.insert(contentsOf: [0, 0xFF, 0xC0, 0x80, 0xED, 0xA0, 0x80], at: bytes.count / 2)  // NUL, invalid, a surrogate
        try Data(bytes).write(to: folder.path("notes-tsan.1"))
        let read = BoundedFile.read([folder.path("notes-tsan.1").path], totalLimit: BoundedFile.raceLogsLimit)
        #expect(Self.races(read.files.map(\.text).joined()).count == 1)
    }

    // MARK: ThreadDump (gdb's `thread apply all bt`)

    @Test func recordedGdbDumpParsesIntoThreads() {
        let threads = ThreadDump.parse(RecordedRunLogs.gdb)
        #expect(threads.map(\.number) == [1, 2, 3], "main thread first")
        #expect(threads.map(\.frames.count) == [4, 9, 9])
        #expect(threads[0].frames[3] == .init(index: 3, address: 0x0000_55fa_6b2c_bf6b, function: "main"))
        #expect(threads[2].frames[4] == .init(index: 4, address: 0x0000_55fa_6b2c_beac, function: "$s4mainyyYbcfU0_"))
        #expect(threads[1].frames[3].function == "___pthread_mutex_lock")
    }

    @Test func recordedGdbDumpWithTheToolsRecordedAnswers() throws {
        let mapped = try #require(ThreadDump.mapping(maps: RecordedRunLogs.maps, binary: "/tmp/rec/dead"))
        #expect(mapped == 0x55fa_6b2c_b000..<0x55fa_6b2c_f000)
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let symbols = try Self.recordedSymbols(RecordedRunLogs.deadlockSymbolizer, in: folder)
        let dump = try #require(ThreadDump.dump(ThreadDump.parse(RecordedRunLogs.gdb), mapped: mapped, binary: "/tmp/rec/dead",
                                                pages: ["10-deadlocks.md"], symbols: symbols))
        #expect(dump.text() == """
            main thread waits in static Thread.sleep(forTimeInterval:)
                top-level code at 10-deadlocks.md:31
            thread 1 waits in pthread_mutex_lock
                closure #1 in top-level code at 10-deadlocks.md:24
            thread 2 waits in pthread_mutex_lock
                closure #2 in top-level code at 10-deadlocks.md:28
            """)
        #expect(dump.otherThreads == 0)

        // Without tools nothing is placed on the page: every thread is the runtime's.
        let bare = ThreadDump.dump(ThreadDump.parse(RecordedRunLogs.gdb), mapped: mapped, binary: "/tmp/rec/dead",
                                   pages: ["10-deadlocks.md"], symbols: Symbols())
        #expect(bare == ThreadDump(threads: [], otherThreads: 3))
    }

    @Test func recordedGdbDumpCutAnywhereIsAConsistentPrefix() {
        let full = ThreadDump.parse(RecordedRunLogs.gdb)
        for cut in Self.cutPoints(RecordedRunLogs.gdb) {
            let threads = ThreadDump.parse(Self.prefix(RecordedRunLogs.gdb, bytes: cut))
            #expect(threads.map(\.number) == threads.map(\.number).sorted(), "cut at \(cut)")
            for thread in threads {
                guard let whole = full.first(where: { $0.number == thread.number }) else {
                    Issue.record("cut at \(cut): thread \(thread.number) is not in the whole dump")
                    continue
                }
                #expect(Array(whole.frames.prefix(thread.frames.count)) == thread.frames, "cut at \(cut)")
            }
        }
        for cut in Self.cutPoints(RecordedRunLogs.maps) {
            let mapped = ThreadDump.mapping(maps: Self.prefix(RecordedRunLogs.maps, bytes: cut), binary: "/tmp/rec/dead")
            #expect(mapped == nil || mapped!.lowerBound == 0x55fa_6b2c_b000, "cut at \(cut)")
        }
    }

    @Test func thousandsOfThreadsAndDeepStacksAreCapped() {
        // gdb prints the highest thread number first; the lowest are kept.
        var text = (1...5_000).reversed().map { "Thread \($0) (Thread 0x1 (LWP \($0)) \"x\"):\n#0  0x0000000000001000 in f\($0) ()\n\n" }.joined()
        text += "Thread 5001 (deep):\n" + (0..<20_000).map { "#\($0)  0x0000000000002000 in recurse ()\n" }.joined()
        let threads = ThreadDump.parse(text)
        #expect(threads.map(\.number) == Array(1...ThreadDump.maxThreads))
        #expect(threads.allSatisfy { $0.frames == [.init(index: 0, address: 0x1000, function: "f\($0.number)")] })

        let deep = ThreadDump.parse("Thread 1 (deep):\n" + (0..<20_000).map { "#\($0)  0x0000000000002000 in recurse ()\n" }.joined())
        #expect(deep.first?.frames.count == ThreadDump.maxFrames)
        #expect(deep.first?.frames.last?.index == ThreadDump.maxFrames - 1, "the innermost frames, where it waits")
    }

    @Test func forgedGdbOutputParsesWithoutATrap() throws {
        let huge = String(repeating: "r", count: 10 << 20)
        let text = """
            #0  0x0000555555554100 in before_any_thread ()
            Thread 99999999999999999999999 (overflowing):
            #0  0x0000555555554100 in orphan ()
            Thread ٣ (Arabic-Indic digit):
            #0  0x0000555555554100 in not_a_number ()
            Thread 2 (Thread 0x1 (LWP 2) "x"):
            #99999999999999999999 0x0000555555554100 in overflowing_index ()
            #1  0xffffffffffffffffffff in overflowing_address ()
            #-1 0x0000555555554101 in negative_index ()
            #
            #2
            #3  0x
            #4  0x0000555555554102
            #5  0x0000555555554103 in
            #6  0x0000555555554104 in \(huge) ()
            Thread 1 (Thread 0x2 (LWP 1) "x"):
            #1  0x0000555555554000 in at_the_binary_start ()
            #2  0x0000555555560000 in just_past_its_end ()
            #3  0x0000555555554000
            """ + "\n"
        let threads = ThreadDump.parse(text)
        #expect(threads.map(\.number) == [1, 2])
        #expect(threads[1].frames.map(\.function).prefix(5) == ["0xffffffffffffffffffff", "negative_index", "0x", "??", "??"])
        #expect(threads[1].frames.last!.function.unicodeScalars.count < ThreadDump.maxLine)
        // A return address at the binary's first byte has no call before it: no offset, no underflow.
        let dump = ThreadDump.dump(threads, mapped: 0x5555_5555_4000..<0x5555_5556_0000, binary: "/nonexistent",
                                   pages: ["p.md"], symbols: Symbols())
        #expect(dump == ThreadDump(threads: [], otherThreads: 2))
        #expect(ThreadDump.dump([], mapped: 0..<1, binary: "/nonexistent", pages: [], symbols: Symbols()) == nil)

        let maps = """
            ffffffffffffffffffff-1 r-xp 00000000 00:00 0 /bin/x
            2000-1000 r-xp 00000000 00:00 0 /bin/x
            -
            1000 r-xp 00000000 00:00 0 /bin/x
            0-0 r-xp 00000000 00:00 0 /bin/x
            \(huge.prefix(1 << 20))
            """ + "\n"
        #expect(ThreadDump.mapping(maps: maps, binary: "/bin/x") == nil)
        #expect(ThreadDump.mapping(maps: maps + "1000-3000 r-xp 00000000 00:00 0 /bin/x\n", binary: "/bin/x") == 0x2000..<0x3000,
                "the first mapping at file offset 0 is where it starts")
    }

    // MARK: Symbols (swift-demangle and llvm-symbolizer)

    @Test func demanglerRunsStayUnderTheArgumentLimit() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let log = folder.path("runs").path
        // Answers `D:<name>` for each name, and notes how many bytes of arguments each run had.
        let demangler = try Self.replayTool([:], otherwise: #"printf 'D:%s\n' "$a""#, in: folder, name: "demangler",
                                            prelude: "printf '%s\\n' \"$*\" | wc -c >> '\(log)'\n")

        let names = (0..<300).map { "$s" + String(repeating: "m", count: 3_000) + "\($0)" }
        let tooLong = "$s" + String(repeating: "n", count: Symbols.maxName)
        let plain = ["___pthread_mutex_lock", "__GI___lll_lock_wait", "main", "_", ""]
        let readable = Symbols(demangler: demangler).demangle(names + [tooLong] + plain + names.reversed())
        let expected = names.map { "D:" + $0 } + [tooLong] + ["pthread_mutex_lock", "lll_lock_wait", "top-level code", "", ""]
            + names.reversed().map { "D:" + $0 }
        // Compared piece by piece: a failure printing 2 MB of names helps no one.
        #expect(readable.count == expected.count)
        for (index, (got, want)) in zip(readable, expected).enumerated() where got != want {
            Issue.record("name \(index): \(got.prefix(20))…\(got.suffix(8)) is not \(want.prefix(20))…\(want.suffix(8))")
            break
        }
        let runs = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        #expect(runs.count >= 4, "300 names of 3 KB take several runs")
        #expect(runs.allSatisfy { $0 <= Symbols.maxArguments + 64 }, "\(runs)")
    }

    @Test func symbolizerOutputThatIsNotWhatItShouldBeNeverTraps() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let answers: [String: [String]] = [
            "0x1": ["f", "/p.md:99999999999999999999:1", ""],
            "0x2": [":::", ":::", ""],
            "0x3": ["g", "/p.md:-4:1", ""],
            "0x4": ["only one line", ""],
            "0x5": ["h", "/a:b:c/p.md:7:0", ""],
        ]
        let symbolizer = try Self.replayTool(answers, otherwise: ":", in: folder, name: "symbolizer")
        let places = Symbols(symbolizer: symbolizer).locate(binary: "/nonexistent", offsets: [1, 2, 3, 4, 5, 6, UInt64.max])
        #expect(places.count == 7)
        #expect(places.map { $0?.line } == [nil, nil, nil, nil, 7, nil, nil])
        #expect(places[4]?.file == "/a:b:c/p.md" && places[4]?.function == "h")
        #expect(Symbols().locate(binary: "/nonexistent", offsets: [1]).count == 1)
    }

    // MARK: BoundedFile

    @Test func neverReturnsMoreThanTheCap() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let file = folder.path("log").path
        try Data(repeating: UInt8(ascii: "a"), count: 100_000).write(to: folder.path("log"))
        for limit in [0, 1, 999, 65_536, 65_537, 99_999] {
            let read = try BoundedFile.read(file, limit: limit)
            #expect(read.bytes.count == limit && read.truncated, "limit \(limit)")
        }
        for limit in [100_000, 100_001, 1 << 20] {
            let read = try BoundedFile.read(file, limit: limit)
            #expect(read.bytes.count == 100_000 && !read.truncated, "limit \(limit)")
        }
        #expect(try BoundedFile.read(file, limit: -5) == .init(bytes: [], truncated: true))
        try Data().write(to: folder.path("empty"))
        #expect(try BoundedFile.read(folder.path("empty").path, limit: 0) == .init(bytes: [], truncated: false))
    }

    @Test func aForgedSixtyMegabyteLogCostsOnlyTheCap() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        // Sparse files: 60 MB each as far as reading goes, nothing on disk.
        var paths: [String] = []
        for index in 0..<8 {
            let path = folder.path("notes-tsan.\(index)").path
            #expect(FileManager.default.createFile(atPath: path, contents: Data("x".utf8)))
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            try handle.truncate(atOffset: 60 << 20)
            try handle.close()
            paths.append(path)
        }
        let one = try BoundedFile.read(paths[0], limit: BoundedFile.raceLogsLimit)
        #expect(one.bytes.count == BoundedFile.raceLogsLimit && one.truncated)
        #expect(one.bytes.capacity < 2 * BoundedFile.raceLogsLimit)

        let all = BoundedFile.read(paths, totalLimit: BoundedFile.raceLogsLimit)
        #expect(all.files.map(\.bytes.count) == [BoundedFile.raceLogsLimit, 0, 0, 0, 0, 0, 0, 0], "one budget for all")
        #expect(all.truncated)
    }

    @Test func severalFilesShareOneBudgetAndCount() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let paths = try (0..<3).map { try folder.write("log\($0)", String(repeating: "\($0)", count: 3_000)).path }
        let shared = BoundedFile.read(paths, totalLimit: 5_000)
        #expect(shared.files.map(\.bytes.count) == [3_000, 2_000, 0])
        #expect(shared.files.map(\.truncated) == [false, true, true])
        #expect(shared.truncated)

        let exact = BoundedFile.read(paths, totalLimit: 9_000)
        #expect(exact.files.map(\.bytes.count) == [3_000, 3_000, 3_000] && !exact.truncated)

        let counted = BoundedFile.read(paths, totalLimit: 1 << 20, maxFiles: 2)
        #expect(counted.files.count == 2 && counted.truncated, "files past the count are left out, and that is told")
        #expect(BoundedFile.read(paths, totalLimit: -1, maxFiles: -1).files.isEmpty)

        // Missing, linked and special files are skipped.
        try FileManager.default.createSymbolicLink(atPath: folder.path("link").path, withDestinationPath: paths[0])
        #expect(mkfifo(folder.path("fifo").path, 0o644) == 0)
        let mixed = BoundedFile.read([folder.path("missing").path, folder.path("link").path, folder.path("fifo").path, paths[2]],
                                     totalLimit: 1 << 20)
        #expect(mixed.files.map(\.bytes) == [Array(String(repeating: "2", count: 3_000).utf8)])
        #expect(!mixed.truncated)
    }

    @Test func refusesASymbolicLinkAndHandlesAMissingFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let target = try folder.write("target", "secret\n").path
        try FileManager.default.createSymbolicLink(atPath: folder.path("link").path, withDestinationPath: target)
        #expect(throws: BoundedFile.Failure.symbolicLink) { try BoundedFile.read(folder.path("link").path, limit: 100) }
        try FileManager.default.createSymbolicLink(atPath: folder.path("dangling").path, withDestinationPath: folder.path("none").path)
        #expect(throws: BoundedFile.Failure.symbolicLink) { try BoundedFile.read(folder.path("dangling").path, limit: 100) }
        #expect(throws: BoundedFile.Failure.missing) { try BoundedFile.read(folder.path("none").path, limit: 100) }
        #expect(throws: BoundedFile.Failure.missing) { try BoundedFile.read(folder.path("none/deeper").path, limit: 100) }
    }

    final class Outcome: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: Result<BoundedFile.Contents, BoundedFile.Failure>?
        var value: Result<BoundedFile.Contents, BoundedFile.Failure>? {
            get { lock.withLock { stored } }
            set { lock.withLock { stored = newValue } }
        }
    }

    @Test func refusesAFIFOWithoutBlocking() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let fifo = folder.path("notes-timeline.tsv").path
        try #require(mkfifo(fifo, 0o644) == 0)
        // On a thread of its own: should the read block, the test says so instead of hanging.
        let outcome = Outcome(), done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            outcome.value = Result { () throws(BoundedFile.Failure) in try BoundedFile.read(fifo, limit: 100) }
            done.signal()
        }
        if done.wait(timeout: .now() + 5) == .timedOut {
            Issue.record("reading a FIFO blocked")
            let writer = open(fifo, O_WRONLY | O_NONBLOCK)  // lets the blocked reader go
            done.wait()
            close(writer)
        }
        #expect(throws: BoundedFile.Failure.notAPlainFile) { try outcome.value?.get() }
    }

    @Test func refusesDevicesFoldersAndHardLinks() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        #expect(throws: BoundedFile.Failure.notAPlainFile) { try BoundedFile.read("/dev/zero", limit: 100) }
        #expect(throws: BoundedFile.Failure.notAPlainFile) { try BoundedFile.read(folder.url.path, limit: 100) }
        let original = try folder.write("original", "x\n").path
        try FileManager.default.linkItem(atPath: original, toPath: folder.path("hard").path)
        #expect(throws: BoundedFile.Failure.notAPlainFile) { try BoundedFile.read(folder.path("hard").path, limit: 100) }
    }

    @Test func procFilesThatSaySizeZeroAreRead() throws {
        let maps = try BoundedFile.read("/proc/self/maps", limit: BoundedFile.processMapsLimit)
        #expect(!maps.bytes.isEmpty)
        #expect(maps.text.contains("[stack]") || maps.truncated)
    }

    @Test func wholeLinesLeaveOutTheLineTheCapCut() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let file = try folder.write("log", "first\nsecond\nthird\n").path
        #expect(try BoundedFile.read(file, limit: 9).wholeLines == "first\n")
        #expect(try BoundedFile.read(file, limit: 5).wholeLines == "")
        #expect(try BoundedFile.read(file, limit: 100).wholeLines == "first\nsecond\nthird\n")
        let unterminated = try folder.write("partial", "first\nsecond").path
        #expect(try BoundedFile.read(unterminated, limit: 100).wholeLines == "first\nsecond", "read whole: all of it")
    }

    @Test func textLinesAreCutAndAPartialLastLineCanBeLeftOut() {
        #expect(Array(TextLines("a\nbb\n\nccc", maxLength: 2)) == ["a", "bb", "", "cc"])
        #expect(Array(TextLines("a\nbb\n\nccc", maxLength: 2, wholeLinesOnly: true)) == ["a", "bb", ""])
        #expect(Array(TextLines("a\n", maxLength: 0)) == [""])
        #expect(Array(TextLines("", maxLength: 5)).isEmpty)
        #expect(Array(TextLines("e\u{301}\u{301}\u{301}\n", maxLength: 2)).map { $0.unicodeScalars.count } == [2])
    }
}
