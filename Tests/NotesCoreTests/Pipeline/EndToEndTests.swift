import Foundation
import Testing
@testable import NotesCore

/// The whole pipeline on a small course: three notes, a config, real swiftc, real runs, a written site.
/// Built once; every test here (and GoldenTests) reads the same result.
enum FixtureCourse {
    static let config = """
    title: Fixture Course
    author: The test suite
    sanitizers:
      - pattern: 'worker \\d+'
        replacement: 'worker <n>'

    """

    static let basics = """
    ---
    title: Basics
    order: 1
    desc: The first steps & more.
    ---
    # Basics

    Some *emphasis*, and a [link to the next note](02-more.md#escaping).

    ```swift setup
    func greet(_ name: String) -> String { "Hello, \\(name)!" }
    ```

    ## Greeting

    ```swift run id=greeting
    print(greet("world"))
    ```

    ```output
    Hello, world!
    ```

    A block that is only shown:

    ```swift
    let shownOnly = true
    ```

    ```swift run
    // snippet.hide
    func hiddenHelper() -> Int { 41 }
    // snippet.show
    print("the answer is \\(hiddenHelper() + 1)")
    ```

    ```output
    the answer is 42
    ```

    """

    static let more = """
    ---
    title: More
    order: 2
    ---
    # More

    ## Escaping

    ```swift run id=script
    print("<script>alert(1)</script>")
    ```

    ```output
    <script>alert(1)</script>
    ```

    ```swift run id=twice repeat=2
    print("same every time")
    ```

    ```output
    same every time
    ```

    """

    static let extra = """
    # Extra matching

    ```swift run id=threads unordered
    print("thread 1 done")
    print("thread 2 done")
    ```

    ```output
    thread 2 done
    thread 1 done
    ```

    ```swift run id=timing
    print("took 12 ms")
    print("worker 7 finished")
    ```

    ```output
    took 250 ms
    worker 1 finished
    ```

    Back to [the basics](01-basics.md#greeting).

    """

    static let notes = ["01-basics.md": basics, "02-more.md": more, "03-extra.md": extra]

    /// The site folder already holds an earlier site: it carries the marker, so it may be replaced.
    static let previousSite = [SiteWriter.marker: "old marker\n", "stale.html": "<p>from an earlier build</p>\n"]

    static let built = Task {
        try await BuiltCourse.build(notes: notes, files: [CourseConfig.fileName: config], previousSite: previousSite)
    }
}

extension Compiling {
    @Suite("End to end: a small course built into a site")
    struct EndToEndTests {
        func built() async throws -> BuiltCourse { try await FixtureCourse.built.value }

        @Test func everySnippetPasses() async throws {
            let result = try await built().result
            #expect(result.diagnostics == [])
            #expect(result.reports.map(\.snippet.id) == ["greeting", "01-basics-2", "script", "twice", "threads", "timing"])
            for report in result.reports {
                #expect(report.verdict == .verified, "\(report.snippet.id): \(report.verdict) \(report.diff ?? report.output)")
            }
            #expect(result.summary == "6 passed, 0 failed")
            #expect(result.succeeded)
        }

        @Test func eachProgramIsCompiledByOneSwiftcRun() async throws {
            // Each run snippet is a program of its own, built the way its reader would build it.
            let result = try await built().result
            #expect(result.compilerInvocations == result.compiledEntries.count)
            #expect(result.compiledEntries.count == result.pages.flatMap(RunEntry.entries).count)
        }

        @Test func siteHasAnIndexAndAPagePerNote() async throws {
            let course = try await built()
            for page in ["index.html", "01-basics.html", "02-more.html", "03-extra.html", "theme.css", SiteWriter.marker] {
                #expect(course.site[page] != nil, "missing \(page)")
            }
            #expect(course.result.pagesWritten == 3)
            let index = try course.page("index.html")
            #expect(index.contains("Fixture Course"))
            #expect(index.contains(#"href="01-basics.html""#))
            #expect(index.contains("The first steps &amp; more."))
        }

        @Test func previousSiteIsReplacedWhole() async throws {
            let course = try await built()
            #expect(course.site["stale.html"] == nil)
            #expect(course.leftoversAfterBuild == [])
        }

        @Test func eachSnippetsRealOutputIsOnItsPage() async throws {
            let course = try await built()
            let basics = try course.page("01-basics.html")
            #expect(basics.contains("Hello, world!"))
            #expect(basics.contains("the answer is 42"))
            #expect(basics.components(separatedBy: "hiddenHelper").count == 2, "hidden lines are compiled but not shown")
            #expect(!basics.contains("snippet.hide"))
            #expect(basics.contains("shownOnly"))
            #expect(basics.contains(#"href="02-more.html#escaping""#))
            let extra = try course.page("03-extra.html")
            #expect(extra.contains("thread 1 done\nthread 2 done"), "the page shows the real order")
            #expect(extra.contains("took 12 ms"))
            let more = try course.page("02-more.html")
            #expect(more.contains("2 runs, 1 distinct output"))
            #expect(!more.contains("class=\"distribution\""), "one distinct output is not listed again")
        }

        @Test func outputOfASnippetIsEscapedOnThePage() async throws {
            let more = try await built().page("02-more.html")
            #expect(more.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(!more.contains("<script>alert(1)</script>"))
        }
    }
}
