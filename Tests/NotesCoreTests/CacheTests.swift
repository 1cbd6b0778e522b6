import Foundation
import Testing
@testable import NotesCore

/// The result cache, proved by counts of what was compiled and run, never by timings.
extension Compiling {
    @Suite("Result cache and shards (real swiftc)")
    struct CacheTests {
        static let lesson = """
        # Cached

        ```swift setup
        func greet(_ name: String) -> String { "hello, \\(name)" }
        ```

        ```swift run id=one
        print(greet("one"))
        ```

        ```output
        hello, one
        ```

        ```swift run id=two
        print(greet("two"))
        ```

        ```output
        hello, two
        ```

        ```swift run id=s1 session=acc
        var total = 40
        ```

        ```swift run id=s2 session=acc
        total += 2
        print(total)
        ```

        ```output
        42
        ```
        """

        static let other = """
        # Other

        ```swift run id=three
        print(3)
        ```

        ```output
        3
        ```
        """

        struct Course {
            let folder: TemporaryFolder
            var compiler = SwiftCompiler()

            func run(shard: Shard? = nil) async -> PipelineResult {
                var options = PipelineOptions(contentDirectory: folder.path("Content"), displayPrefix: "Content")
                options.cache = ResultCache(directory: folder.path("cache"))
                options.compiler = compiler
                options.shard = shard
                let chosen = options
                return await offThePool { Pipeline.run(chosen) }
            }

            func edit(_ path: String, _ change: (String) -> String) throws {
                try folder.write("Content/\(path)", change(try folder.read("Content/\(path)")))
            }
        }

        func makeCourse() throws -> Course {
            let folder = try TemporaryFolder()
            try folder.write("Content/01-cached.md", Self.lesson)
            try folder.write("Content/02-other.md", Self.other)
            return Course(folder: folder)
        }

        @Test func noOpBuildCompilesAndRunsNothing() async throws {
            let course = try makeCourse()
            defer { course.folder.remove() }
            let cold = await course.run()
            #expect(cold.succeeded)
            #expect(cold.ranEntries == 4)  // one, two, the session, three
            let warm = await course.run()
            #expect(warm.succeeded)
            #expect(warm.compilerInvocations == 0)
            #expect(warm.compiledEntries == 0)
            #expect(warm.ranEntries == 0)
            #expect(warm.passed == cold.passed)
        }

        @Test func editingOneSnippetRerunsExactlyThatSnippetOrItsSession() async throws {
            let course = try makeCourse()
            defer { course.folder.remove() }
            _ = await course.run()
            try course.edit("02-other.md") { $0.replacingOccurrences(of: "print(3)", with: "print(1 + 2)") }
            let afterSnippet = await course.run()
            #expect(afterSnippet.ranEntries == 1)
            #expect(afterSnippet.compiledEntries == 1)

            try course.edit("01-cached.md") { $0.replacingOccurrences(of: "total += 2", with: "total += 1 + 1") }
            let afterSession = await course.run()
            #expect(afterSession.ranEntries == 1, "the session is one program")
            #expect(afterSession.reports.first { $0.snippet.id == "s2" }?.verdict == .verified)

            try course.edit("01-cached.md") { $0.replacingOccurrences(of: "# Cached", with: "# Cached, with new prose") }
            #expect(await course.run().ranEntries == 0, "prose edits run nothing")
        }

        @Test func setupCodeAndCompilerFlagsInvalidateWhatTheyShould() async throws {
            var course = try makeCourse()
            defer { course.folder.remove() }
            _ = await course.run()
            try course.edit("01-cached.md") { $0.replacingOccurrences(of: "\"hello, ", with: "\"hello,  ") }
            let afterSetup = await course.run()
            #expect(afterSetup.ranEntries == 3, "every entry of the page with the setup, none of the other page")

            course.compiler = SwiftCompiler(extraFlags: ["-DNOTES_TEST_FLAG"])
            #expect(await course.run().ranEntries == 4, "new flags invalidate everything")
        }

        @Test func aCorruptedEntryIsDetectedAndRebuilt() async throws {
            let course = try makeCourse()
            defer { course.folder.remove() }
            _ = await course.run()
            let cache = course.folder.path("cache")
            let entries = try FileManager.default.contentsOfDirectory(atPath: cache.path).sorted()
            #expect(entries.count == 4)
            try Data("{ not json".utf8).write(to: cache.appendingPathComponent(entries[0]))
            let second = await course.run()
            #expect(second.ranEntries == 1)
            #expect(second.succeeded)
            try FileManager.default.removeItem(at: cache)
            #expect(await course.run().ranEntries == 4, "a deleted cache is rebuilt")
        }

        @Test func shardsCoverEverySnippetExactlyOnce() async throws {
            let course = try makeCourse()
            defer { course.folder.remove() }
            var seen: [String] = []
            for k in 1...3 {
                let result = await course.run(shard: Shard("\(k)/3"))
                seen += result.reports.filter { !$0.skipped }.map(\.snippet.id)
                #expect(result.failed == 0)
            }
            #expect(seen.sorted() == ["one", "s1", "s2", "three", "two"])
        }

        @Test func shardSyntax() {
            #expect(Shard("2/4") == Shard("2/4"))
            #expect(Shard("0/4") == nil)
            #expect(Shard("5/4") == nil)
            #expect(Shard("x") == nil)
            let ids = (0..<200).map { "snippet-\($0)" }
            let shards = (1...4).map { Shard("\($0)/4")! }
            #expect(ids.allSatisfy { id in shards.filter { $0.contains(id) }.count == 1 })
        }
    }
}
