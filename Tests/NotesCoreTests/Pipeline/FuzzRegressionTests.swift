import Testing
@testable import NotesCore

/// Inputs that `Fuzz/run.sh` found crashing or hanging, each now a one-line error at its line.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    func preview(_ text: String) throws {
        _ = try PagePreview.render(sourceFile(text, path: "05-events.md"))
    }

    /// The fuzzer's input: a footnote definition pasted into the front matter made a list the key,
    /// and Yams force-unwrapped it as a string (Constructor.swift:448).
    @Test func aListAsAFrontMatterKeyIsAnErrorNotATrap() {
        let note = """
        ---
        title: Events and signalling
        order: 5
        [^1]: One thread waits until another says "go", built from a condition variable for threads.
        ---

        # Events and signalling
        """
        #expect(throws: Diagnostic(file: "Content/05-events.md", line: 4,
                                   "front matter: a key must be a plain name, not a list or a mapping")) {
            try preview(note)
        }
        #expect(throws: Diagnostic(file: "Content/05-events.md", line: 3,
                                   "front matter: a key must be a plain name, not a list or a mapping")) {
            try preview("---\ntitle: T\n{a: 1}: b\n---\n# T\n")
        }
    }

    @Test func aMappingKeyDeepInTheCourseConfigIsAnError() {
        #expect(throws: Diagnostic(file: "notes.yaml", line: 3, "config: a key must be a plain name, not a list or a mapping")) {
            try CourseConfig.parse("title: C\nsanitizers:\n  - {[p]: r}\n", file: "notes.yaml")
        }
    }

    /// Nine aliases of nine make 9^9 values: without a bound Yams expands them for minutes.
    @Test func aliasesThatMultiplyAreBounded() {
        var lines = ["---", #"a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]"#]
        for level in 1...8 {
            lines.append("a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ",") + "]")
        }
        lines += ["---", "# T"]
        #expect(throws: Diagnostic(file: "Content/05-events.md", line: 2,
                                   "front matter: more than 10000 values (aliases expanded)")) {
            try preview(lines.joined(separator: "\n"))
        }
    }

    @Test func aFewAliasesStillWork() throws {
        let page = try PagePreview.render(sourceFile("---\nbase: &b Locks\ntitle: *b\n---\n# T\n", path: "03-locks.md"))
        #expect(page.html.contains("<title>Locks · Lecture notes</title>"))
    }

    /// A fuzzer input with lone carriage returns got an error past its last `\n` line: lines are
    /// counted as CommonMark counts them, where a lone `\r` ends a line too.
    @Test func loneCarriageReturnsEndLines() {
        #expect(throws: Diagnostic(file: "Content/05-events.md", line: 5,
                                   "output block does not follow a `swift run` snippet (only blank lines may come between)")) {
            try preview("# T\r\rText\r\r```output\rx\r```\r")
        }
    }
}
