import Testing
@testable import NotesCore

/// Render stage without the compiler: escaping, headings, links, hidden lines, the generated index.
/// (Pages with real snippet output are checked in EndToEndTests and GoldenTests.)
@Suite("Render: pages and escaping")
struct RenderTests {
    @Test func escapeCoversTheFiveHTMLCharacters() {
        #expect(HTML.escape(#"<a href="x">Tom & 'Jerry'</a>"#)
                == "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;")
        #expect(HTML.escape("plain · text ✓") == "plain · text ✓")
        #expect(HTML.escape("&amp;") == "&amp;amp;", "escaping is not idempotent, so nothing may be escaped twice")
    }

    @Test func hrefEncodesEachPathSegmentThenEscapes() {
        #expect(HTML.href("lessons/my note#1?.html") == "lessons/my%20note%231%3F.html")
        #expect(HTML.href("a&b/ünï;%.html") == "a&amp;b/%C3%BCn%C3%AF%3B%25.html")
        #expect(HTML.href("keep-._~!$'()*+,=:@.html") == "keep-._~!$&#39;()*+,=:@.html")
    }

    /// One section per h1–h3, with the prose and the code a reader sees, whitespace collapsed;
    /// recorded output and hidden lines are left out.
    @Test func searchIndexHoldsWhatTheReaderSees() throws {
        let note = try parse("""
        # Locks

        Intro\u{00A0}text,\tspread
           over lines.

        ## Mutex

        ```swift
        // snippet.hide
        let secret = 1
        // snippet.show
        let   lock = NSLock()
        ```

        ```output
        recorded only
        ```

        #### Deep heading

        stays in Mutex
        """, path: "02-locks.md")
        let script = SearchIndex.script(for: Course(title: "C", author: nil, notes: [note]))
        #expect(script.contains(#"["Locks","02-locks.html"]"#))
        #expect(script.contains(#"[0,"Locks","locks","Intro text, spread over lines."]"#))
        #expect(script.contains(#"[0,"Mutex","mutex","let lock = NSLock() Deep heading stays in Mutex"]"#))
        #expect(!script.contains("secret") && !script.contains("recorded only"))
        #expect(SearchSection.collapse("  a \r\n\u{2003} b\u{00A0}c  ") == "a b c")
    }

    func render(_ text: String, path: String = "01-page.md", reports: (NoteSnippets) -> [SnippetReport] = { _ in [] },
                others: [Note] = []) throws -> String {
        let page = try extract(text, path: path)
        let course = Course(title: "Course <T>", author: nil, notes: [page.note] + others)
        return PageRenderer(course: course).render(page.note, reports: reports(page)).html
    }

    @Test func headingsGetTheirAnchorsAsIds() throws {
        let html = try render("# Title\n\n## Part\n\n## Part\n")
        #expect(html.contains(#"id="title""#))
        #expect(html.contains(#"id="part""#))
        #expect(html.contains(#"id="part-1""#))
    }

    /// The info string is read once (FenceInfo), so a tab separates words for the renderer as for the extractor.
    @Test func tabSeparatedFenceWordsRenderLikeSpaces() throws {
        let html = try render("# T\n\n```swift\tsetup\nlet answer = 42\n```\n")
        #expect(html.contains("Swift · setup for this page"))
        #expect(html.contains(#"<span class="k">let</span>"#), "\(html)")
    }

    @Test func linksToNotesBecomeLinksToPages() throws {
        let html = try render("# T\n\nSee [locks](03-locks.md#mutex) and [the web](https://example.com/a.md).\n")
        #expect(html.contains(#"href="03-locks.html#mutex""#))
        #expect(html.contains(#"href="https://example.com/a.md""#))
    }

    @Test func codeAndTitlesAreEscaped() throws {
        let html = try render("""
        ---
        title: Generics <T> & more
        ---
        # Generics

        ```text
        Array<Int> & "quotes"
        ```
        """)
        #expect(html.contains("Array&lt;Int&gt; &amp; &quot;quotes&quot;"))
        #expect(!html.contains("Array<Int>"))
        #expect(html.contains("<title>Generics &lt;T&gt; &amp; more · Course &lt;T&gt;</title>"))
    }

    @Test func hiddenLinesAreNotShown() throws {
        let html = try render("""
        # T

        ```swift
        // snippet.hide
        let hiddenHelperValue = 41
        // snippet.show
        print("shownLine")
        ```
        """)
        #expect(html.contains("shownLine"))
        #expect(!html.contains("hiddenHelperValue"))
        #expect(!html.contains("snippet.hide"))
    }

    @Test func snippetOutputIsEscaped() throws {
        let html = try render("# T\n\n```swift run id=xss\nprint(\"<script>alert(1)</script>\")\n```\n") { page in
            [Checker(sanitizers: []).check(page.runs[0], compile: .built(binary: "examples"), runs: [
                RunResult(output: "<script>alert(1)</script>\n", termination: .exited(0), duration: 0),
            ])]
        }
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!html.contains("<script>alert(1)"))
        #expect(html.contains(#"id="snippet-xss""#))
    }

    @Test func recordedOutputBlockIsReplacedByTheRealOutput() throws {
        let text = "# T\n\n```swift run id=one\nprint(\"x\")\n```\n\n```output\nprinted-text\n```\n"
        let html = try render(text) { page in
            [Checker(sanitizers: []).check(page.runs[0], compile: .built(binary: "examples"), runs: [
                RunResult(output: "printed-text\n", termination: .exited(0), duration: 0),
            ])]
        }
        #expect(html.components(separatedBy: "printed-text").count == 2, "shown once, under the snippet")
        #expect(!html.contains("language-output"))
    }

    /// Repeated runs list their distinct outputs only when there is more than one: a race made visible.
    @Test func distinctOutputsAreListedOnlyWhenTheyDiffer() throws {
        func html(_ outputs: [String]) throws -> String {
            try render("# T\n\n```swift run repeat=\(outputs.count) unordered id=r\nprint(1)\n```\n") { page in
                [Checker(sanitizers: []).check(page.runs[0], compile: .built(binary: "examples"), runs: outputs.map {
                    RunResult(output: $0, termination: .exited(0), duration: 0)
                })]
            }
        }
        let same = try html(["1\n", "1\n", "1\n"])
        #expect(same.contains("3 runs, 1 distinct output"))
        #expect(!same.contains("class=\"distribution\""))
        let racy = try html(["1\n", "2\n", "1\n"])
        #expect(racy.contains("3 runs, 2 distinct outputs"))
        #expect(racy.contains("<span class=\"count\">2 ×</span> <code>1</code>"))
    }

    @Test func generatedIndexListsLessonsInOrder() throws {
        let notes = try [
            parse("---\ntitle: Second\norder: 2\n---\n# S\n", path: "a.md"),
            parse("---\ntitle: First\norder: 1\ndesc: Start <here>\n---\n# F\n", path: "z.md"),
            parse("# Unordered\n", path: "b.md"),
        ]
        let renderer = PageRenderer(course: Course(title: "Course", author: nil, notes: notes))
        let index = renderer.renderGeneratedIndex()
        #expect(index.path == "index.html")
        let first = try #require(index.html.range(of: ">First<"))
        let second = try #require(index.html.range(of: ">Second<"))
        let third = try #require(index.html.range(of: ">Unordered<"))
        #expect(first.lowerBound < second.lowerBound && second.lowerBound < third.lowerBound)
        #expect(index.html.contains("Start &lt;here&gt;"))
    }

    @Test func indexNoteIsTheHomePage() throws {
        let notes = try [parse("# Welcome\n", path: "index.md"), parse("# Lesson\n", path: "01-lesson.md")]
        let course = Course(title: "Course", author: nil, notes: notes)
        #expect(course.home?.source.relativePath == "index.md")
        #expect(course.lessons.map(\.source.relativePath) == ["01-lesson.md"])
        #expect(course.pages.map(\.source.outputPath) == ["index.html", "01-lesson.html"])
    }
}
