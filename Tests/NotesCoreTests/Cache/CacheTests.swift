import Foundation
import Testing
@testable import NotesCore

/// The result cache and the page cache, proved by what was compiled, run and rendered, never by timings.
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
            /// Stands for the build of notes in the cache keys; nil for the real one.
            var identity: String? = nil

            /// A build with a site, so the page cache is used too.
            func run(shard: Shard? = nil, cached: Bool = true, identity: String? = nil) async -> PipelineResult {
                var options = PipelineOptions(contentDirectory: folder.path("Content"), displayPrefix: "Content",
                                              output: folder.path("Site"))
                options.cache = cached ? ResultCache(directory: folder.path("cache"), identity: identity) : nil
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

        static let allEntries = ["01-cached:session:acc", "one", "three", "two"]

        /// Every page of the site is byte for byte what rendering it fresh from the same build's data gives,
        /// whether the build rendered it or took it from the previous site: a page key that missed something
        /// the renderer reads would leave a stale page here. The third build's cache hands back runs that
        /// differ from the first's in what a page shows (stderr lines, counts), as a changed runner would.
        @Test func reusedPagesAreWhatRenderingThemFreshGives() async throws {
            let course = try makeCourse()
            defer { course.folder.remove() }
            #expect(await course.run().succeeded)
            let warm = await course.run()
            #expect(warm.pagesRendered == [])
            try expectSiteIsFresh(warm, in: course)

            let cache = course.folder.path("cache")
            for file in try FileManager.default.contentsOfDirectory(atPath: cache.path) where file.hasSuffix(".json") {
                let url = cache.appendingPathComponent(file)
                guard var stored = try? JSONDecoder().decode(ResultCache.Stored.self, from: Data(contentsOf: url)) else { continue }
                stored.runs = stored.runs.map { runs in runs.map { run in
                    var run = run
                    run.stderrLines = [0]
                    run.count += 1
                    return run
                } }
                stored.digest = stored.computedDigest()  // as a changed runner would have stored them
                try JSONEncoder().encode(stored).write(to: url)
            }
            let changed = await course.run()
            #expect(changed.pagesRendered.sorted() == ["01-cached.html", "02-other.html"])
            try expectSiteIsFresh(changed, in: course)
        }

        func expectSiteIsFresh(_ result: PipelineResult, in course: Course) throws {
            let config = try CourseConfig.load(contentDirectory: course.folder.path("Content"), displayPrefix: "Content")
            let notes = result.pages.map(\.note)
            let renderer = PageRenderer(course: NotesCore.Course(title: config.title, author: config.author, notes: notes))
            #expect(notes.count == 2)
            for note in notes {
                let fresh = renderer.render(note, reports: result.reports.filter { $0.snippet.page == note.source.relativePath })
                #expect(try course.folder.read("Site/\(fresh.path)") == fresh.html, "\(fresh.path) is stale")
            }
        }

        @Test func noOpBuildCompilesRunsAndRendersNothing() async throws {
            let course = try makeCourse()
            defer { course.folder.remove() }
            let cold = await course.run()
            #expect(cold.succeeded)
            #expect(cold.ranEntries.sorted() == Self.allEntries)
            #expect(cold.pagesRendered.sorted() == ["01-cached.html", "02-other.html"])
            let coldPage = try course.folder.read("Site/01-cached.html")
            let warm = await course.run()
            #expect(warm.succeeded)
            #expect(warm.compilerInvocations == 0)
            #expect(warm.compiledEntries == [])
            #expect(warm.ranEntries == [])
            #expect(warm.pagesRendered == [])
            #expect(warm.passed == cold.passed)
            #expect(try course.folder.read("Site/01-cached.html") == coldPage, "a page taken from the site is the page rendered")

            let uncached = await course.run(cached: false)
            #expect(uncached.ranEntries.sorted() == Self.allEntries, "--no-cache runs everything")
            #expect(uncached.pagesRendered.sorted() == ["01-cached.html", "02-other.html"], "and renders every page")
        }

        @Test func editingOneSnippetRerunsExactlyThatSnippetOrItsSession() async throws {
            let course = try makeCourse()
            defer { course.folder.remove() }
            _ = await course.run()
            try course.edit("02-other.md") { $0.replacingOccurrences(of: "print(3)", with: "print(1 + 2)") }
            let afterSnippet = await course.run()
            #expect(afterSnippet.compiledEntries == ["three"])
            #expect(afterSnippet.ranEntries == ["three"])
            #expect(afterSnippet.pagesRendered == ["02-other.html"])

            try course.edit("01-cached.md") { $0.replacingOccurrences(of: "total += 2", with: "total += 1 + 1") }
            let afterSession = await course.run()
            #expect(afterSession.ranEntries == ["01-cached:session:acc"], "the session is one program")
            #expect(afterSession.reports.first { $0.snippet.id == "s2" }?.verdict == .verified)
        }

        @Test func proseEditsRenderOnlyThePagesWhoseNavigationChanged() async throws {
            let course = try makeCourse()
            defer { course.folder.remove() }
            _ = await course.run()
            try course.edit("02-other.md") { $0.replacingOccurrences(of: "# Other", with: "# Other\n\nNew prose.") }
            let afterLines = await course.run()
            #expect(afterLines.ranEntries == ["three"], "a snippet whose lines moved runs again: what it prints may name them")
            try course.edit("02-other.md") { $0.replacingOccurrences(of: "New prose.", with: "Newer prose, longer.") }
            let afterProse = await course.run()
            #expect(afterProse.ranEntries == [], "prose edits that move no snippet run nothing")
            #expect(afterProse.pagesRendered == ["02-other.html"])
            #expect(try course.folder.read("Site/02-other.html").contains("Newer prose, longer."))

            // A new title is in every page's sidebar.
            try course.edit("01-cached.md") { $0.replacingOccurrences(of: "# Cached", with: "# Cached, renamed") }
            let afterTitle = await course.run()
            #expect(afterTitle.ranEntries == [])
            #expect(afterTitle.pagesRendered.sorted() == ["01-cached.html", "02-other.html"])
        }

        @Test func setupCodeAndCompilerFlagsInvalidateWhatTheyShould() async throws {
            var course = try makeCourse()
            defer { course.folder.remove() }
            _ = await course.run()
            try course.edit("01-cached.md") { $0.replacingOccurrences(of: "\"hello, ", with: "\"hello,  ") }
            let afterSetup = await course.run()
            #expect(afterSetup.ranEntries.sorted() == ["01-cached:session:acc", "one", "two"],
                    "every entry of the page with the setup, none of the other page")

            course.compiler = SwiftCompiler(extraFlags: ["-DNOTES_TEST_FLAG"])
            let afterFlags = await course.run()
            #expect(afterFlags.ranEntries.sorted() == Self.allEntries, "new flags invalidate everything")
            #expect(afterFlags.pagesRendered == [], "the same outputs make the same pages")
        }

        @Test func aCorruptedEntryIsDetectedAndRebuilt() async throws {
            let course = try makeCourse()
            defer { course.folder.remove() }
            _ = await course.run()
            let cache = course.folder.path("cache")
            let entries = try FileManager.default.contentsOfDirectory(atPath: cache.path).filter { $0.hasSuffix(".json") }.sorted()
            #expect(entries.count == 4)
            try Data("{ not json".utf8).write(to: cache.appendingPathComponent(entries[0]))
            let second = await course.run()
            #expect(second.ranEntries.count == 1)
            #expect(second.succeeded)

            // A page changed by hand (same size, so only its stamp tells) is rendered again.
            let page = "Site/01-cached.html"
            let shown = try course.folder.read(page)
            try course.folder.write(page, shown.replacingOccurrences(of: "</html>", with: "</htm>\n"))
            let third = await course.run()
            #expect(third.pagesRendered == ["01-cached.html"], "a page that is not as it was written is rendered again")
            #expect(try course.folder.read(page) == shown)

            try FileManager.default.removeItem(at: cache)
            let rebuilt = await course.run()
            #expect(rebuilt.ranEntries.sorted() == Self.allEntries, "a deleted cache is rebuilt")
            #expect(rebuilt.pagesRendered == [], "the same outputs make the same pages, taken from the site")

            try FileManager.default.removeItem(at: course.folder.path("Site"))
            let rewritten = await course.run()
            #expect(rewritten.ranEntries == [])
            #expect(rewritten.pagesRendered.count == 2, "a deleted site is rendered again")
        }

        /// Nothing in the cache is linked into or run as a program (the sandbox object is compiled afresh into
        /// each build's work folder; the launcher is installed with notes), so the only artefacts that shape a
        /// verdict are results, and any change to one that does not recompute its digest is detected: the
        /// entry is run again. The remembered compiler version only names a key, so a changed one misses.
        @Test func everyCachedArtefactIsCheckedOrHarmless() async throws {
            let course = try makeCourse()
            defer { course.folder.remove() }
            let cache = course.folder.path("cache")
            #expect(await course.run().succeeded)
            let files = try FileManager.default.contentsOfDirectory(atPath: cache.path).sorted()
            #expect(files.allSatisfy { $0.hasSuffix(".json") || $0 == "compiler-version" }, "only results: \(files)")
            for file in files {
                var info = stat()
                #expect(stat(cache.appendingPathComponent(file).path, &info) == 0 && info.st_mode & 0o111 == 0, "\(file) is executable")
            }
            let results = files.filter { $0.hasSuffix(".json") }.map { cache.appendingPathComponent($0) }
            #expect(results.count == 4)

            // A forged pass: "hello, one" is what passes; the cached run is made to say so while the note
            // expects something else, so only a run that is really done can fail it.
            try course.edit("01-cached.md") { $0.replacingOccurrences(of: "hello, one", with: "hello, uno") }
            let failing = await course.run()
            #expect(!failing.succeeded, "the edited note fails when really run")
            for url in results {
                let text = try String(contentsOf: url, encoding: .utf8)
                try text.replacingOccurrences(of: "hello, one", with: "hello, uno").write(to: url, atomically: true, encoding: .utf8)
            }
            let tampered = [
                { (text: String) in text.replacingOccurrences(of: "42", with: "43") },            // an edited output
                { (text: String) in String(text.prefix(text.count / 2)) },                         // a half-written file
                { (text: String) in text.replacingOccurrences(of: "\"digest\"", with: "\"digesT\"") },  // no digest
            ]
            for change in tampered {
                for url in results {
                    let text = try String(contentsOf: url, encoding: .utf8)
                    try change(text).write(to: url, atomically: true, encoding: .utf8)
                }
                let run = await course.run()
                #expect(!run.succeeded, "a tampered result was taken for a pass")
                #expect(run.ranEntries.contains("one"))
            }
            // Two entries swapped: each names the other's key.
            let swapped = try [Data(contentsOf: results[0]), Data(contentsOf: results[1])]
            try swapped[1].write(to: results[0])
            try swapped[0].write(to: results[1])
            try course.edit("01-cached.md") { $0.replacingOccurrences(of: "hello, uno", with: "hello, one") }
            let restored = await course.run()
            #expect(restored.succeeded)

            try "a stranger's compiler".write(to: cache.appendingPathComponent("compiler-version"), atomically: true, encoding: .utf8)
            let recompiled = await course.run()
            #expect(recompiled.succeeded, "a changed compiler version misses the cache; it cannot turn a failure into a pass")
        }

        /// Every result taken from the cache is what running the program afresh gives, byte for byte
        /// (durations aside): after a no-op build, after text is added above snippets (their lines move),
        /// after a note with an `id=` snippet is renamed, and after an edit. The snippets print their own
        /// `#line` and `#fileID` and draw warnings, all of which name Markdown lines and pages.
        @Test func everyCachedResultIsWhatAFreshRunGives() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let located = """
            # Located

            ```swift run id=where
            var unchanged = 1
            print(#fileID, #line, unchanged)
            ```

            ```swift run
            var never = 2
            print(never)
            ```

            """
            try folder.write("Content/01-located.md", located)
            try folder.write("Content/02-other.md", Self.other)
            let course = Course(folder: folder)
            // Each snippet's output recorded under it, so that they pass and are cached.
            let first = await course.run(cached: false)
            var recorded = located
            for report in first.reports where report.snippet.page == "01-located.md" {
                let code = try #require(recorded.range(of: report.snippet.code))
                let closing = try #require(recorded.range(of: "```\n", range: code.upperBound..<recorded.endIndex))
                recorded.insert(contentsOf: "\n```output\n" + report.runs[0].output + "```\n", at: closing.upperBound)
            }
            try folder.write("Content/01-located.md", recorded)
            #expect(await course.run().succeeded, "\(recorded)")
            func same(after change: String) async throws {
                let cached = await course.run()
                let fresh = await course.run(cached: false)
                #expect(cached.reports.count == fresh.reports.count)
                for (old, new) in zip(cached.reports, fresh.reports) {
                    #expect(old.snippet.id == new.snippet.id)
                    #expect(old.compilerMessages == new.compilerMessages, "\(change): \(old.snippet.id)'s messages")
                    #expect(old.runs.map { [$0.output, "\($0.stderrLines)", "\($0.termination)", "\($0.count)"] }
                            == new.runs.map { [$0.output, "\($0.stderrLines)", "\($0.termination)", "\($0.count)"] },
                            "\(change): \(old.snippet.id)'s runs")
                }
            }
            _ = await course.run()
            try await same(after: "a no-op build")
            try course.edit("01-located.md") { $0.replacingOccurrences(of: "# Located\n", with: "# Located\n\nMoved down.\n\n") }
            try await same(after: "lines added above")
            try FileManager.default.moveItem(at: folder.path("Content/01-located.md"), to: folder.path("Content/01-renamed.md"))
            try await same(after: "a rename")
            try course.edit("01-renamed.md") { $0.replacingOccurrences(of: "print(never)", with: "print(never + 1)") }
            try await same(after: "an edit")
        }

        /// Results depend on the code that generates, confines and runs programs, which changes with no
        /// change to the notes: a cache written by another build of notes is not reused.
        @Test func cachedPassesAreNotReusedByAnotherBuildOfNotes() async throws {
            let course = try makeCourse()
            defer { course.folder.remove() }
            #expect(await course.run(identity: "generator A").succeeded)
            #expect(await course.run(identity: "generator A").ranEntries == [], "same build: everything from the cache")
            let other = await course.run(identity: "generator B")
            #expect(other.ranEntries.sorted() == Self.allEntries, "another build: nothing reused")
            #expect(ResultCache(directory: course.folder.url).identity.hasPrefix(ProgramIdentity.current + " "),
                    "the real identity is the build of notes and the sandbox source")
        }

        /// `swiftc --version` runs once per compiler; a changed compiler file (here: touched) runs it again.
        @Test func theCompilerVersionIsRememberedUntilTheCompilerChanges() throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let counter = folder.path("calls")
            let wrapper = try folder.write("bin/swiftc", """
                #!/bin/sh
                echo called >> '\(counter.path)'
                exec '\(SwiftCompiler().executable)' "$@"
                """)
            chmod(wrapper.path, 0o755)
            let compiler = SwiftCompiler(executable: wrapper.path)
            let cache = folder.path("cache")
            func calls() -> Int { ((try? String(contentsOf: counter, encoding: .utf8)) ?? "").split(separator: "\n").count }

            let first = compiler.version(rememberedIn: cache)
            #expect(first.contains("Swift version"))
            #expect(calls() == 1)
            #expect(compiler.version(rememberedIn: cache) == first)
            #expect(calls() == 1, "remembered, not run again")

            let later = Date().addingTimeInterval(5)
            try FileManager.default.setAttributes([.modificationDate: later], ofItemAtPath: wrapper.path)
            #expect(compiler.version(rememberedIn: cache) == first)
            #expect(calls() == 2, "a compiler file that changed is asked again")
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

        #if os(Linux)
        @Test func pagesAreKeyedByTheLinkersBuildIDNotByReadingTheWholeBinary() {
            #expect(ProgramIdentity.current.hasPrefix("build-id "), "\(ProgramIdentity.current)")
            #expect(ProgramIdentity.current.count > "build-id ".count + 16)
        }
        #endif

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
