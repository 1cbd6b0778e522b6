import Dispatch
import Foundation
import Testing
@testable import NotesCore
#if canImport(Glibc)
import Glibc
#endif

/// ThreadSanitizer's log_path files: the recorded log, cut short, forged and flooded.
extension RunArtifactParserTests {
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
}
