import Foundation
import Testing
@testable import NotesCore

/// `verify --accept`: real outputs written back into the notes, and nothing else touched.
extension Compiling {
    @Suite("Accept (real swiftc, real files)")
    struct AcceptTests {
        /// A note with a table, an HTML comment and CRLF line endings: every byte outside the output blocks must survive.
        static let crlfNote = [
            "---", "title: Accept", "---", "# Accept", "",
            "| a | b |", "|---|---|", "| 1 | 2 |", "",
            "<!-- a comment with a fence:", "```swift run", "not code", "```", "-->", "",
            "```swift run id=wrong", "print(\"fixed\")", "```", "",
            "```output", "stale", "```", "",
            "```swift run id=missing", "print(\"inserted\")", "```",
            "Trailing prose.", "",
            "```swift run id=matches", "print(\"took 12 ms\")", "```", "",
            "```output", "took ... ms", "```", "",
            "```swift run id=hangs expect=timeout timeout=1", "print(\"done\")", "```", "",
        ].joined(separator: "\r\n")

        func runAccept(_ folder: TemporaryFolder, beforeRename: () throws -> Void = {})
            async throws -> (changes: [OutputAcceptor.Change], problems: [Diagnostic], result: PipelineResult)
        {
            let options = PipelineOptions(contentDirectory: folder.path("Content"), displayPrefix: "Content")
            let result = await offThePool { Pipeline.run(options) }
            let (changes, problems) = OutputAcceptor.write(result.pages, reports: result.reports,
                                                           contentDirectory: folder.path("Content"),
                                                           beforeRename: beforeRename)
            return (changes, problems, result)
        }

        @Test func fixesWrongOutputInsertsMissingAndKeepsEveryOtherByte() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            try folder.write("Content/01-accept.md", Self.crlfNote)
            let (changes, problems, first) = try await runAccept(folder)
            #expect(problems.isEmpty)
            #expect(changes.count == 1)
            #expect(changes.first?.replaced == 1)
            #expect(changes.first?.inserted == 1)
            // The timeout snippet finished instead: its expectation failed, so nothing is written for it.
            #expect(first.reports.first { $0.snippet.id == "hangs" }?.verdict.passed == false)

            let after = try folder.read("Content/01-accept.md")
            let expected = Self.crlfNote
                .replacingOccurrences(of: "```output\r\nstale\r\n```", with: "```output\r\nfixed\r\n```")
                .replacingOccurrences(of: "print(\"inserted\")\r\n```\r\n",
                                      with: "print(\"inserted\")\r\n```\r\n\r\n```output\r\ninserted\r\n```\r\n")
            #expect(after == expected)

            // Accepting again changes nothing: wildcards that already match are left alone.
            let (again, _, second) = try await runAccept(folder)
            #expect(again.isEmpty)
            #expect(second.reports.filter { $0.snippet.id != "hangs" }.allSatisfy { $0.verdict.passed })
        }

        /// Compiler output names Markdown lines; an accepted block above a compile error moves it, and one
        /// `--accept` must still leave the page verified.
        @Test func compilerLinesBelowAGrowingBlockAreRecordedWhereTheyWillBe() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            try folder.write("Content/lines.md", """
                ```swift run id=grows
                print("one")
                print("two")
                print("three")
                ```

                ```output
                one
                ```

                ```swift run expect=compile-error id=wrong-type
                let n: Int = "seven"
                ```

                ```swift run expect=compile-error id=also-wrong
                let m: String = 8
                ```

                ```output
                stale
                ```
                """)
            let (changes, problems, _) = try await runAccept(folder)
            #expect(problems.isEmpty && changes.first?.replaced == 2 && changes.first?.inserted == 1)
            let (again, _, second) = try await runAccept(folder)
            #expect(again.isEmpty, "one --accept was enough")
            #expect(second.failed == 0, "\(second.reports.map { ($0.snippet.id, $0.verdict, $0.diff ?? "") })")
            let text = try folder.read("Content/lines.md")
            #expect(text.contains("lines.md:\(line(of: "let n: Int", in: text)):14: error: cannot convert value of type 'String'"))
        }

        @Test func shiftedLinesAreOnlyThoseOfThisNote() {
            let output = "a.md:3:1: error: x\nmain/a.md:4: Fatal error\nba.md:5:1: note\nsee a.md:x\n"
            #expect(OutputAcceptor.shiftLines(in: output, file: "a.md") { $0 + 10 }
                    == "a.md:13:1: error: x\nmain/a.md:14: Fatal error\nba.md:5:1: note\nsee a.md:x\n")
        }

        @Test func aFailedWriteBeforeRenameLeavesTheNoteIntact() async throws {
            struct Interrupted: Error {}
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            try folder.write("Content/01-accept.md", Self.crlfNote)
            let (changes, problems, _) = try await runAccept(folder, beforeRename: { throw Interrupted() })
            #expect(changes.isEmpty)
            #expect(problems.count == 1)
            let kept = try folder.read("Content/01-accept.md")
            #expect(kept == Self.crlfNote)
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path("Content").path)
            #expect(leftovers == ["01-accept.md"], "no temporary file is left behind")
        }

        @Test func aNoteChangedDuringTheRunIsNotOverwritten() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            try folder.write("Content/01-accept.md", Self.crlfNote)
            let options = PipelineOptions(contentDirectory: folder.path("Content"), displayPrefix: "Content")
            let result = await offThePool { Pipeline.run(options) }
            try folder.write("Content/01-accept.md", Self.crlfNote + "\r\nEdited meanwhile.\r\n")
            let (changes, problems) = OutputAcceptor.write(result.pages, reports: result.reports,
                                                           contentDirectory: folder.path("Content"))
            #expect(changes.isEmpty)
            #expect(problems.first?.description.contains("changed on disk during the run") == true)
            let kept = try folder.read("Content/01-accept.md")
            #expect(kept.hasSuffix("Edited meanwhile.\r\n"))
        }
    }
}
