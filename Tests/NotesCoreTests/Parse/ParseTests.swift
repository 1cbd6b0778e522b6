import Testing
@testable import NotesCore

/// Parse stage: NoteParser finds code blocks, headings and links by walking cmark-gfm's tree,
/// and reports them at file lines.
@Suite("Parse: NoteParser on cmark-gfm")
struct ParseTests {
    /// A snippet's anchor is `snippet-<id>`; a heading that would slug to one gets another name.
    @Test func aHeadingNeverTakesASnippetsAnchor() throws {
        var namer = AnchorNamer()
        #expect(namer.anchor(for: "Snippet race-demo") == "heading-snippet-race-demo")
        #expect(namer.anchor(for: "Snippets") == "snippets")
    }

    @Test func fenceInsideAnHTMLCommentIsNotACodeBlock() throws {
        let note = try parse("""
        # Hidden

        <!--
        ```swift run
        print("commented out")
        ```
        -->

        ```swift run
        print("visible")
        ```
        """)
        #expect(note.codeBlocks.map(\.code) == ["print(\"visible\")\n"])
        #expect(note.codeBlocks.map(\.line) == [9])
    }

    @Test func fenceInsideABlockquoteIsACodeBlock() throws {
        let note = try parse("""
        # Quoted

        > A quote with code:
        >
        > ```swift run
        > print("quoted")
        > ```
        """)
        let block = try #require(note.codeBlocks.first)
        #expect(note.codeBlocks.count == 1)
        #expect(block.info == FenceInfo("swift run"))
        #expect(block.code == "print(\"quoted\")\n")
        #expect(block.line == 5)
        #expect(block.endLine == 7)
        #expect(block.fenced)
    }

    @Test func fenceInsideAListItemIsACodeBlock() throws {
        let note = try parse("""
        1. First step:

           ```swift run
           print("in a list")
           ```
        """)
        #expect(note.codeBlocks.map(\.code) == ["print(\"in a list\")\n"])
        #expect(note.codeBlocks.map(\.line) == [3])
    }

    @Test func indentedCodeIsNotFenced() throws {
        let note = try parse("# Indented\n\n    print(\"indented\")\n")
        #expect(note.codeBlocks.map(\.fenced) == [false])
        #expect(try SnippetExtractor.extract(note).runs.isEmpty)
    }

    @Test func linesAreFileLinesAfterFrontMatter() throws {
        let text = """
        ---
        title: Lines
        order: 4
        ---
        # Lines

        ```swift run
        print(1)
        ```

        ## Second

        See [the first](other.md).
        """
        let note = try parse(text)
        #expect(note.bodyLineOffset == 4)
        #expect(note.codeBlocks.map(\.line) == [line(of: "```swift run", in: text)])
        #expect(note.codeBlocks.map(\.endLine) == [line(of: "print(1)", in: text) + 1])
        #expect(note.headings.map(\.line) == [5, line(of: "## Second", in: text)])
        #expect(note.links.map(\.line) == [line(of: "[the first]", in: text)])
    }

    @Test func linkOnALaterLineOfAParagraphHasItsOwnLine() throws {
        let text = "# Links\n\nA paragraph that\nwraps onto a second line with [a link](other.md#x)\nand ends.\n"
        let note = try parse(text)
        #expect(note.links == [Link(url: "other.md#x", line: 4)])
    }

    @Test func crlfLineEndingsGiveTheSameBlocksAndLines() throws {
        let lf = "# Windows\n\n```swift run\nprint(1)\n```\n\n```output\n1\n```\n"
        let crlf = lf.replacingOccurrences(of: "\n", with: "\r\n")
        let a = try parse(lf)
        let b = try parse(crlf)
        #expect(b.codeBlocks == a.codeBlocks)
        #expect(b.codeBlocks.map(\.code) == ["print(1)\n", "1\n"])
        #expect(b.codeBlocks.map(\.info.text) == ["swift run", "output"])
        #expect(b.headings == a.headings)
        #expect(b.title == "Windows")
    }

    /// Regression (fixed): `FrontMatter.split` splits the text on the Character "\n", and in Swift "\r\n" is a single
    /// Character, so a CRLF note's front matter is not found; its `---` lines become a setext heading.
    @Test func crlfFrontMatterIsRead() throws {
        let text = "---\r\ntitle: Windows\r\norder: 2\r\n---\r\n# Heading\r\n\r\n```swift run\r\nprint(1)\r\n```\r\n"
        let note = try parse(text)
        #expect(note.title == "Windows")
        #expect(note.order == 2)
        #expect(note.bodyLineOffset == 4)
        #expect(note.headings.map(\.text) == ["Heading"])
        
        // The code block's line is right either way.
        #expect(try parse(text).codeBlocks.map(\.line) == [7])
    }

    @Test func byteOrderMarkIsDropped() throws {
        let text = "\u{FEFF}---\ntitle: With BOM\n---\n# Heading\n\n```swift run\nprint(1)\n```\n"
        let note = try parse(text)
        #expect(note.title == "With BOM")
        #expect(note.bodyLineOffset == 3)
        #expect(note.codeBlocks.map(\.line) == [6])
    }

    @Test func headingsGetGitHubStyleAnchors() throws {
        let note = try parse("""
        # Race *conditions*

        ## Locks & `Mutex`

        ## Locks & `Mutex`

        ## Q: what's next?
        """)
        #expect(note.headings.map(\.text) == ["Race conditions", "Locks & Mutex", "Locks & Mutex", "Q: what's next?"])
        #expect(note.headings.map(\.anchor) == ["race-conditions", "locks-mutex", "locks-mutex-1", "q-what-s-next"])
        #expect(note.headings.map(\.level) == [1, 2, 2, 2])
    }

    @Test func repeatedHeadingsGetNumberedAnchors() throws {
        let note = try parse("# A\n\n## A\n\n## A\n")
        #expect(note.headings.map(\.anchor) == ["a", "a-1", "a-2"])
    }

    /// Regression (fixed): AnchorNamer numbers repeats (`a` → `a-1`) without reserving the numbered name,
    /// so a later heading whose own slug is `a-1` gets the same anchor and a link to `#a-1` is ambiguous.
    @Test func anchorsStayUniqueWhenAHeadingLooksNumbered() throws {
        let note = try parse("# A\n\n## A\n\n## A 1\n")
        let anchors = note.headings.map(\.anchor)
        #expect(Set(anchors).count == anchors.count, "anchors: \(anchors)")
        
    }

    /// The page frame has its own ids (`main#content`, the search box); a heading must not take them.
    @Test func headingsDoNotTakeThePageFramesIds() throws {
        let note = try parse("# Content\n\n## Search input\n\n## Lesson list\n")
        #expect(note.headings.map(\.anchor) == ["content-1", "search-input-1", "lesson-list-1"])
    }

    @Test func titleComesFromTheFirstHeadingWithoutFrontMatter() throws {
        let note = try parse("Intro text.\n\n## First heading\n\n# Second\n")
        #expect(note.title == "First heading")
        #expect(note.bodyLineOffset == 0)
    }

    @Test func titleFallsBackToTheFileName() throws {
        let note = try parse("Just text.\n", path: "lessons/intro.md")
        #expect(note.title == "intro")
    }

    @Test func invalidUTF8IsADiagnostic() throws {
        var bytes = Array("# Title\n\nSome text ".utf8)
        bytes += [0xC3, 0x28, 0xFF]
        let file = SourceFile(relativePath: "bad.md", displayPath: "Content/bad.md", bytes: bytes)
        let error = try #require(throws: Diagnostic.self) { try NoteParser.parse(file) }
        #expect(error.message == "not valid UTF-8")
        #expect(error.file == "Content/bad.md")
        #expect(error.description.hasPrefix("Content/bad.md"))
    }

    @Test func imagesAreLinksWithAltText() throws {
        let note = try parse("# Pictures\n\n![A diagram](img/diagram.png) and [text](other.md)\n")
        #expect(note.links == [Link(url: "img/diagram.png", line: 3, imageAlt: "A diagram"),
                               Link(url: "other.md", line: 3)])
    }
}
