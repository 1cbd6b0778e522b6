import Foundation
import Testing
@testable import NotesCore

/// Load stage: front matter, `notes.yaml`, and finding the notes in a folder.
@Suite("Load: front matter, notes.yaml, content folder")
struct LoadTests {
    // MARK: Front matter

    @Test func titleOrderAndDescription() throws {
        let note = try parse("""
        ---
        title: Locks and mutual exclusion
        order: 3
        desc: Protect a critical section.
        ---
        # Something else
        """)
        #expect(note.title == "Locks and mutual exclusion")
        #expect(note.order == 3)
        #expect(note.desc == "Protect a critical section.")
        #expect(note.bodyLineOffset == 5)
        #expect(note.body == "# Something else")
    }

    @Test func dendronFrontMatterParses() throws {
        let note = try parse("""
        ---
        id: 4x9rmd2kq0a1b2c3d4e5f6g
        title: Semaphores
        desc: ''
        updated: 1752649728068
        created: 1752649728068
        ---
        # Semaphores in practice
        """)
        #expect(note.title == "Semaphores")
        #expect(note.desc == "")
        #expect(note.order == nil)
        #expect(note.bodyLineOffset == 7)
    }

    @Test func brokenYAMLIsReportedAtItsFileLine() throws {
        let text = """
        ---
        title: Locks
        order: 2
        desc: a: b
        ---
        # Locks
        """
        let error = try #require(throws: Diagnostic.self) { try parse(text) }
        #expect(error.line == 4)
        #expect(error.description.hasPrefix("Content/note.md:4: error: front matter: "))
        #expect(error.message.contains("mapping values are not allowed"))
    }

    @Test func unclosedFlowListIsReportedAtTheLineWhereYAMLNotices() throws {
        let error = try #require(throws: Diagnostic.self) {
            try parse("---\ntitle: [1, 2\norder: 3\n---\n# T\n")
        }
        #expect(error.description.hasPrefix("Content/note.md:3: error: front matter: "))
    }

    @Test func frontMatterThatIsNotAMapping() throws {
        let error = try #require(throws: Diagnostic.self) { try parse("---\n- one\n- two\n---\n# List\n") }
        #expect(error.description == "Content/note.md:2: error: front matter: expected a mapping of keys to values")
    }

    @Test func orderOfTheWrongType() throws {
        let error = try #require(throws: Diagnostic.self) { try parse("---\ntitle: T\norder: abc\n---\n# T\n") }
        #expect(error.description == "Content/note.md:3: error: front matter: 'order' must be a whole number")
    }

    @Test func titleThatIsAListIsAnError() throws {
        let error = try #require(throws: Diagnostic.self) { try parse("---\ntitle:\n  - a\n  - b\n---\n# T\n") }
        #expect(error.description == "Content/note.md:2: error: front matter: 'title' must be a string")
    }

    @Test func unclosedFrontMatter() throws {
        let error = try #require(throws: Diagnostic.self) { try parse("---\ntitle: T\n# T\n") }
        #expect(error.description == "Content/note.md:1: error: front matter: no closing '---' line")
    }

    @Test func emptyFrontMatterIsAllowed() throws {
        let note = try parse("---\n---\n# Heading\n")
        #expect(note.title == "Heading")
        #expect(note.bodyLineOffset == 2)
    }

    /// Only the head is split into lines; the body comes whole, with Windows line ends made plain.
    @Test func windowsLineEndsAndADotsClosingLine() throws {
        let note = try parse("---\r\ntitle: T\r\norder: 2\r\n...\r\n# Heading\r\n\r\ntext\r\n")
        #expect(note.title == "T")
        #expect(note.order == 2)
        #expect(note.bodyLineOffset == 4)
        #expect(note.body == "# Heading\n\ntext\n")
        #expect(try parse("---\ntitle: T\n---").body == "")
    }

    /// Split by byte, with the lines CommonMark counts: at `\n`, `\r\n` and a lone `\r`.
    @Test func linesSplitAsCommonMarkCountsThem() {
        let text = "a\r\nb\n\rc\r\r\nü\n"
        #expect(text.lines == ["a", "b", "", "c", "", "ü", ""])
        #expect(text.lines == text.split(omittingEmptySubsequences: false,
                                         whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }))
        #expect("x\r".lines == ["x", ""])
        #expect("".lines == [""])
    }

    /// Old Mac line ends in the front matter: errors after it still name the line an editor shows.
    @Test func loneCarriageReturnsInFrontMatterKeepErrorLines() throws {
        let text = "---\rtitle: T\rorder: 2\r---\r\rSome text.\r\r```swift run bogus\rprint(1)\r```\r"
        let note = try parse(text)
        #expect(note.title == "T")
        #expect(note.bodyLineOffset == 4)
        let error = try #require(throws: Diagnostic.self) { try extract(text) }
        #expect(error.line == 8, "\(error)")
        let broken = try #require(throws: Diagnostic.self) { try parse("---\rtitle: T\rdesc: a: b\r---\r") }
        #expect(broken.line == 3, "\(broken)")
    }

    // MARK: notes.yaml

    @Test func configDefaults() throws {
        let config = try CourseConfig.parse("", file: "Content/notes.yaml")
        #expect(config.title == "Lecture notes")
        #expect(config.author == nil)
        #expect(config.timeout == 10)
        #expect(config.swiftVersion == 6)
        #expect(config.sanitizers.map(\.pattern) == Sanitizer.defaults.map(\.pattern))
    }

    @Test func configKeys() throws {
        let config = try CourseConfig.parse("""
        title: Concurrency in Swift      # site title
        author: The notes team
        timeout: 4
        swift-version: 5
        tsan: true
        """, file: "Content/notes.yaml")
        #expect(config.tsan)
        #expect(try !CourseConfig.parse("title: T", file: "Content/notes.yaml").tsan)
        #expect(config.title == "Concurrency in Swift")
        #expect(config.author == "The notes team")
        #expect(config.timeout == 4)
        #expect(config.swiftVersion == 5)
    }

    @Test func unknownConfigKeyIsAnError() throws {
        let error = try #require(throws: Diagnostic.self) {
            try CourseConfig.parse("title: T\ntimout: 3\n", file: "Content/notes.yaml")
        }
        #expect(error.file == "Content/notes.yaml")
        #expect(error.message.hasPrefix("config: unknown key 'timout'"))
    }

    @Test func tsanMustBeTrueOrFalse() throws {
        let error = try #require(throws: Diagnostic.self) {
            try CourseConfig.parse("title: T\ntsan: often\n", file: "Content/notes.yaml")
        }
        #expect(error.description == "Content/notes.yaml:2: error: config: 'tsan' must be true or false")
    }

    @Test func configValuesAreChecked() throws {
        let timeout = try #require(throws: Diagnostic.self) {
            try CourseConfig.parse("title: T\ntimeout: 0\n", file: "Content/notes.yaml")
        }
        #expect(timeout.description == "Content/notes.yaml:2: error: config: 'timeout' must be a positive number of seconds")
        let version = try #require(throws: Diagnostic.self) {
            try CourseConfig.parse("swift-version: 4\n", file: "Content/notes.yaml")
        }
        #expect(version.message == "config: 'swift-version' must be 5 or 6")
        let regex = try #require(throws: Diagnostic.self) {
            try CourseConfig.parse("sanitizers:\n  - pattern: '(('\n    replacement: x\n", file: "Content/notes.yaml")
        }
        #expect(regex.message.contains("valid regular expressions"))
        let shape = try #require(throws: Diagnostic.self) {
            try CourseConfig.parse("sanitizers:\n  - pattern: 'a'\n", file: "Content/notes.yaml")
        }
        #expect(shape.message.contains("a list of {pattern, replacement}"))
    }

    @Test func sanitizersFromConfigComeAfterTheDefaultsAndApply() throws {
        let config = try CourseConfig.parse("""
        sanitizers:
          - pattern: 'thread \\d+'
            replacement: 'thread <n>'
        """, file: "Content/notes.yaml")
        #expect(config.sanitizers.count == Sanitizer.defaults.count + 1)
        #expect(config.sanitizers.last?.pattern == #"thread \d+"#)
        let matcher = OutputMatcher(sanitizers: config.sanitizers)
        #expect(matcher.matches(actual: "thread 7 finished in 12 ms\n", expected: "thread 2 finished in 3 ms\n"))
        #expect(!OutputMatcher().matches(actual: "thread 7 finished\n", expected: "thread 2 finished\n"))
    }

    @Test func configIsLoadedFromTheContentFolder() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        #expect(try CourseConfig.load(contentDirectory: folder.url, displayPrefix: "Content").title == "Lecture notes")
        try folder.write("notes.yaml", "title: From disk\nbogus: 1\n")
        let error = try #require(throws: Diagnostic.self) {
            try CourseConfig.load(contentDirectory: folder.url, displayPrefix: "Content")
        }
        #expect(error.description.hasPrefix("Content/notes.yaml:1: error: config: unknown key 'bogus'"))
    }

    // MARK: Content folder

    @Test func contentLoaderFindsNotesInStableOrder() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("02-b.md", "# B\n")
        try folder.write("01-a.md", "# A\n")
        try folder.write("part/03-c.md", "# C\n")
        try folder.write("notes.yaml", "title: T\n")
        try folder.write("image.png", "not really a png")
        try folder.write(".hidden.md", "# Hidden\n")
        let files = try ContentLoader.load(contentDirectory: folder.url, displayPrefix: "Content")
        #expect(files.map(\.relativePath) == ["01-a.md", "02-b.md", "part/03-c.md"])
        #expect(files.map(\.displayPath) == ["Content/01-a.md", "Content/02-b.md", "Content/part/03-c.md"])
        #expect(files.map(\.outputPath) == ["01-a.html", "02-b.html", "part/03-c.html"])
        #expect(files.map(\.slug) == ["01-a", "02-b", "part-03-c"])
    }

    @Test func missingContentFolderIsADiagnostic() throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("notes-missing-\(UUID().uuidString)")
        let error = try #require(throws: Diagnostic.self) {
            try ContentLoader.load(contentDirectory: missing, displayPrefix: "Content")
        }
        #expect(error.description == "Content: error: content folder not found")
    }
}
