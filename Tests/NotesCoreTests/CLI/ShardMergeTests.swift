import Foundation
import Testing
@testable import NotesCore

extension Compiling {
    /// What the CI workflow does across runners, done here with processes: N `notes verify --shard K/N`
    /// runs, each with its own cache folder, then `notes report merge`. Together the shards run every
    /// snippet exactly once, and the merged report says of each snippet what one unsharded run says.
    @Suite("CLI: shards across processes and their merged report")
    struct ShardMergeTests {
        static let shards = 3

        static func course(in folder: TemporaryFolder) throws {
            for page in 1...3 {
                var note = "# Page \(page)\n\n"
                for index in 1...3 {
                    let printed = page == 2 && index == 2 ? "wrong" : "\(page).\(index)"
                    note += "```swift run id=p\(page)-s\(index)\nprint(\"\(page).\(index)\")\n```\n\n```output\n\(printed)\n```\n\n"
                }
                _ = try folder.write("Content/0\(page)-page.md", note)
            }
        }

        @Test func shardsRunEverySnippetOnceAndMergeIntoTheUnshardedReport() async throws {
            let folder = try TemporaryFolder("notes-shards")
            defer { folder.remove() }
            try Self.course(in: folder)
            let whole = try await CLITests.runNotes(["verify", "--junit", "whole.xml", "--cache-dir", "cache-whole"], in: folder)
            #expect(whole.status == 1, "one snippet's recorded output is wrong")
            var shardFiles: [String] = []
            for shard in 1...Self.shards {
                let file = "shard-\(shard).xml"
                _ = try await CLITests.runNotes(["verify", "--shard", "\(shard)/\(Self.shards)", "--junit", file,
                                                 "--cache-dir", "cache-\(shard)"], in: folder)
                shardFiles.append(file)
            }
            let reports = try shardFiles.map { try JUnitReport(xml: Data(folder.read($0).utf8), file: $0) }
            let ranBy = Dictionary(grouping: reports.flatMap { $0.cases.filter { $0.outcome != .skipped } }, by: \.name)
            #expect(ranBy.keys.sorted() == (1...3).flatMap { page in (1...3).map { "p\(page)-s\($0)" } })
            #expect(ranBy.values.allSatisfy { $0.count == 1 }, "each snippet runs in exactly one shard")

            let merge = try await CLITests.runNotes(["report", "merge"] + shardFiles + ["-o", "merged.xml"], in: folder)
            #expect(merge.status == 1, "a failure in any shard fails the merge")
            #expect(merge.lastStdoutLine == "8 passed, 1 failed", "\(merge.stdout)\(merge.stderr)")
            let merged = try JUnitReport(xml: Data(folder.read("merged.xml").utf8), file: "merged.xml")
            let unsharded = try JUnitReport(xml: Data(folder.read("whole.xml").utf8), file: "whole.xml")
            func verdicts(_ report: JUnitReport) -> [String] {
                report.cases.map { "\($0.classname) \($0.name) \($0.line ?? 0) \($0.outcome)" }
            }
            #expect(verdicts(merged) == verdicts(unsharded))
        }

        @Test func reportsOfDifferentRunsDoNotMerge() async throws {
            let folder = try TemporaryFolder("notes-shards")
            defer { folder.remove() }
            try Self.course(in: folder)
            _ = try await CLITests.runNotes(["verify", "--shard", "1/2", "--junit", "a.xml", "--cache-dir", "c"], in: folder)
            _ = try await CLITests.runNotes(["verify", "--shard", "1/2", "--junit", "b.xml", "--cache-dir", "c"], in: folder)
            let twice = try await CLITests.runNotes(["report", "merge", "a.xml", "b.xml", "-o", "m.xml"], in: folder)
            #expect(twice.status == 1)
            #expect(twice.stderr.contains("was run by two shards"), "\(twice.stderr)")
            _ = try folder.write("bad.xml", "<testsuites><testsuite")
            let bad = try await CLITests.runNotes(["report", "merge", "a.xml", "bad.xml", "-o", "m.xml"], in: folder)
            #expect(bad.status == 1)
            #expect(bad.stderr.hasPrefix("bad.xml: error: not a JUnit XML report"), "\(bad.stderr)")
        }
    }
}
