import Foundation
import Testing
@testable import NotesCore

/// Extract stage: the fence contract (FenceOptions) and SnippetExtractor turning code blocks into snippets.
@Suite("Extract: fence contract and snippets")
struct ExtractTests {
    func options(_ info: String) throws -> FenceOptions {
        try FenceOptions.parse(FenceInfo(info), file: "Content/note.md", line: 12)
    }

    func fenceError(_ info: String) throws -> Diagnostic {
        try #require(throws: Diagnostic.self) { try FenceOptions.parse(FenceInfo(info), file: "Content/note.md", line: 12) }
    }

    // MARK: Roles and words

    @Test func roles() throws {
        #expect(try options("swift run").role == .run)
        #expect(try options("swift setup").role == .setup)
        #expect(try options("swift").role == .display)
    }

    @Test func everyWordOfARunFence() throws {
        let o = try options("swift run id=race-demo timeout=2 unordered repeat=20 serial swift5")
        #expect(o.role == .run)
        #expect(o.id == "race-demo")
        #expect(o.timeout == 2)
        #expect(o.unordered)
        #expect(o.repeatCount == 20)
        #expect(o.serial)
        #expect(o.swift5)
        #expect(o.session == nil)
        #expect(o.expectation == .success)
        #expect(o.words == ["run", "id=race-demo", "timeout=2", "unordered", "repeat=20", "serial", "swift5"])
    }

    @Test(arguments: [
        ("swift run expect=compile-error", FenceOptions.Expectation.compileError),
        ("swift run expect=crash", .crash),
        ("swift run expect=failure", .failure(exit: nil)),
        ("swift run expect=failure exit=3", .failure(exit: 3)),
        ("swift run exit=3 expect=failure", .failure(exit: 3)),
        ("swift run expect=timeout timeout=2", .timeout),
        ("swift run expect=success", .success),
        ("swift run expect=race", .race),
    ])
    func expectations(info: String, expected: FenceOptions.Expectation) throws {
        #expect(try options(info).expectation == expected)
    }

    @Test func timelineWord() throws {
        #expect(try options("swift run timeline").timeline)
        #expect(try !options("swift run").timeline)
    }

    @Test func sessionAndSetupWords() throws {
        #expect(try options("swift run session=bank").session == "bank")
        let setup = try options("swift setup id=helpers swift5")
        #expect(setup.role == .setup)
        #expect(setup.id == "helpers")
        #expect(setup.swift5)
    }

    // MARK: Errors at the fence's line

    @Test(arguments: [
        ("swift run fast", "unknown word 'fast'"),
        ("swift run timeline session=a", "a session snippet cannot use timeline"),
        ("swift run timeline=yes", "'timeline' takes no value"),
        ("swift setup timeline", "'timeline' applies only to a `swift run` snippet"),
        ("swift run run", "'run' is given twice"),
        ("swift run timeout=1 timeout=2", "'timeout' is given twice"),
        ("swift expect=crash", "'expect' applies only to a `swift run` snippet"),
        ("swift setup expect=crash", "'expect' applies only to a `swift run` snippet"),
        ("swift setup repeat=2", "'repeat' applies only to a `swift run` snippet"),
        ("swift id=shown", "'id' applies only to a `swift run` or `swift setup` snippet"),
        ("swift run exit=3", "exit=3 needs expect=failure"),
        ("swift run expect=crash exit=3", "exit=3 needs expect=failure"),
        ("swift run expect=explode", "expect 'explode' is not one of"),
        ("swift run timeout=abc", "timeout 'abc' must be a number of seconds from 0.1 to 3600"),
        ("swift run timeout=0", "timeout '0' must be a number of seconds from 0.1 to 3600"),
        ("swift run timeout=0.05", "timeout '0.05' must be a number of seconds from 0.1 to 3600"),
        ("swift run timeout=1e3", "timeout '1e3' must be a number of seconds"),
        ("swift run timeout=nan", "timeout 'nan' must be a number of seconds"),
        ("swift run timeout=", "timeout '' must be a number of seconds from 0.1 to 3600"),
        ("swift run repeat=0", "repeat '0' must be a whole number from 1 to 1000"),
        ("swift run repeat=1001", "repeat '1001' must be"),
        ("swift run expect=failure exit=0", "exit '0' must be from 1 to 255"),
        ("swift run expect=failure exit=256", "exit '256' must be from 1 to 255"),
        ("swift run id=has_underscore", "id 'has_underscore' must use only letters, digits and '-'"),
        ("swift run id=", "id '' must use only"),
        ("swift run session=a.b", "session 'a.b' must use only"),
        ("swift run=yes", "'run' takes no value"),
        ("swift run id", "'id' needs a value"),
        ("swift run session=s repeat=3", "a session snippet cannot use"),
    ])
    func malformedFences(info: String, message: String) throws {
        let error = try fenceError(info)
        #expect(error.file == "Content/note.md")
        #expect(error.line == 12)
        #expect(error.severity == .error)
        #expect(error.message.contains(message), "got: \(error.message)")
    }

    @Test func fenceErrorFromANoteIsAtTheFenceLine() throws {
        let text = """
        ---
        title: T
        ---
        # T

        ```swift run
        print(1)
        ```

        ```swift run repeat=many
        print(2)
        ```
        """
        let error = try #require(throws: Diagnostic.self) { try extract(text) }
        #expect(error.description.hasPrefix("Content/note.md:\(line(of: "repeat=many", in: text)): error: repeat 'many'"))
    }

    /// Bug (minor): FenceOptions accepts a tab between words, but CodeBlock.language splits on spaces only,
    /// so ```` ```swift<TAB>run ```` is not seen as Swift at all and silently never runs.
    @Test func tabSeparatedFenceWordsAreRecognised() throws {
        #expect(try options("swift\trun").role == .run)
        let runs = try extract("```swift\trun\nprint(1)\n```\n").runs
        #expect(runs.count == 1)
        
    }

    // MARK: Snippets and output blocks

    @Test func outputBlockAfterBlankLinesIsAttached() throws {
        let text = """
        # T

        ```swift run
        print("hi")
        ```



        ```output
        hi
        ```
        """
        let page = try extract(text)
        let snippet = try #require(page.runs.first)
        #expect(snippet.recorded == RecordedOutput(text: "hi\n", line: line(of: "```output", in: text),
                                                   endLine: line(of: "```output", in: text) + 2))
        #expect(snippet.line == 3)
        #expect(snippet.endLine == 5)
        #expect(snippet.code == "print(\"hi\")\n")
    }

    @Test func outputBlockAfterTextIsAnError() throws {
        let text = "# T\n\n```swift run\nprint(1)\n```\n\nSome prose.\n\n```output\n1\n```\n"
        let error = try #require(throws: Diagnostic.self) { try extract(text) }
        #expect(error.line == 9)
        #expect(error.message.contains("output block does not follow a `swift run` snippet"))
    }

    /// Regression (fixed): with CRLF line endings SnippetExtractor splits the body on the Character "\n", which never
    /// matches "\r\n", so it sees no lines between the blocks and attaches the output block across prose.
    @Test func outputBlockAfterTextIsAnErrorWithCRLF() throws {
        let text = "# T\r\n\r\n```swift run\r\nprint(1)\r\n```\r\n\r\nSome prose.\r\n\r\n```output\r\n1\r\n```\r\n"
        _ = try #require(throws: Diagnostic.self) { try extract(text) }
        
    }

    @Test func outputBlockWithNoSnippetBeforeIsAnError() throws {
        let error = try #require(throws: Diagnostic.self) { try extract("# T\n\n```output\n1\n```\n") }
        #expect(error.description.hasPrefix("Content/note.md:3: error: output block does not follow"))
    }

    @Test func outputBlockAfterASetupOrDisplayBlockIsAnError() throws {
        for info in ["swift setup", "swift", "python"] {
            let error = try #require(throws: Diagnostic.self) {
                try extract("# T\n\n```\(info)\nlet a = 1\n```\n\n```output\n1\n```\n")
            }
            #expect(error.line == 7, "after ```\(info)")
        }
    }

    @Test func secondOutputBlockIsAnError() throws {
        let error = try #require(throws: Diagnostic.self) {
            try extract("```swift run\nprint(1)\n```\n\n```output\n1\n```\n\n```output\n1\n```\n")
        }
        #expect(error.line == 9)
    }

    @Test func derivedIdsAreThePageSlugAndPosition() throws {
        let page = try extract("""
        ```swift setup
        let shared = 1
        ```

        ```swift run
        print(1)
        ```

        ```swift
        // only shown
        ```

        ```swift run id=named
        print(2)
        ```

        ```swift run
        print(3)
        ```
        """, path: "02 Race Conditions.md")
        #expect(page.runs.map(\.id) == ["02-race-conditions-1", "named", "02-race-conditions-3"])
        #expect(page.setup.map(\.id) == ["02-race-conditions-setup-1"])
        #expect(page.runs.map(\.page) == ["02 Race Conditions.md", "02 Race Conditions.md", "02 Race Conditions.md"])
        #expect(page.runs.map(\.file) == ["Content/02 Race Conditions.md", "Content/02 Race Conditions.md",
                                          "Content/02 Race Conditions.md"])
    }

    @Test func sessionSnippetsMustAgree() throws {
        let mixed = try #require(throws: Diagnostic.self) {
            try extract("```swift run session=s\nvar a = 1\n```\n\n```swift run session=s swift5\nprint(a)\n```\n")
        }
        #expect(mixed.line == 5)
        #expect(mixed.message == "session 's': every snippet must agree on swift5")
        let early = try #require(throws: Diagnostic.self) {
            try extract("```swift run session=s expect=crash\nvar a = 1\n```\n\n```swift run session=s\nprint(a)\n```\n")
        }
        #expect(early.line == 1)
        #expect(early.message.contains("only the last snippet of a session may use expect="))
    }

    @Test func sessionsGroupIntoOneRunEntry() throws {
        let page = try extract("""
        ```swift run session=bank
        var balance = 1
        ```

        ```swift run
        print("alone")
        ```

        ```swift run session=bank expect=failure
        import Foundation
        exit(Int32(balance))
        ```
        """, path: "bank.md")
        let entries = RunEntry.entries(for: page)
        #expect(entries.map(\.id) == ["bank:session:bank", "bank-2"])
        #expect(entries[0].snippets.map(\.line) == [1, 9])
        #expect(entries[0].expectation == .failure(exit: nil))
    }
}

/// The README's fence-contract table is `FenceWord.markdownTable`, so a new word cannot go undocumented.
@Suite("Extract: the README documents every fence word")
struct FenceWordDocsTests {
    @Test func readmeTableIsTheWordTable() throws {
        let readme = try String(contentsOf: packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let start = try #require(readme.range(of: "| word | meaning | example |"))
        let table = readme[start.lowerBound...].components(separatedBy: "\n\n")[0]
        #expect(table == FenceWord.markdownTable, "README's table differs; it should read:\n\(FenceWord.markdownTable)")
    }
}
