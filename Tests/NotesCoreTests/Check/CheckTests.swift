import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import NotesCore

/// Check stage: OutputMatcher, sanitizers, and how a run's ending is judged against the fence.
@Suite("Check: matching output and judging endings")
struct CheckTests {
    let matcher = OutputMatcher()

    // MARK: OutputMatcher

    @Test func exactMatch() {
        #expect(matcher.matches(actual: "a\nb\n", expected: "a\nb\n"))
        #expect(!matcher.matches(actual: "a\nb\n", expected: "a\nc\n"))
        #expect(!matcher.matches(actual: "a\nb\n", expected: "a\n"))
        #expect(!matcher.matches(actual: "a\n", expected: "a\nb\n"))
    }

    @Test func trailingWhitespaceIsIgnoredButLeadingIsNot() {
        #expect(matcher.matches(actual: "a  \nb\t\n\n\n", expected: "a\nb"))
        #expect(matcher.matches(actual: "a\nb", expected: "a \nb  \n\n"))
        #expect(!matcher.matches(actual: " a\n", expected: "a\n"))
        #expect(!matcher.matches(actual: "a\n\nb\n", expected: "a\nb\n"), "blank lines inside the output count")
    }

    @Test func ellipsisWithinALine() {
        #expect(matcher.matches(actual: "took 5 steps in total\n", expected: "took ... in total\n"))
        #expect(matcher.matches(actual: "abc\n", expected: "a...c\n"))
        #expect(matcher.matches(actual: "ac\n", expected: "a...c\n"), "... may match nothing")
        #expect(matcher.matches(actual: "prefix and more\n", expected: "prefix...\n"))
        #expect(matcher.matches(actual: "a x b y c\n", expected: "a...b...c\n"))
        #expect(!matcher.matches(actual: "a x c y b\n", expected: "a...b...c\n"))
        #expect(!matcher.matches(actual: "aba\n", expected: "ab...ba\n"), "the two ends may not overlap")
        #expect(!matcher.matches(actual: "one\ntwo\n", expected: "one...two\n"), "... stays within one line")
    }

    @Test func ellipsisLineMatchesAnyNumberOfLines() {
        let expected = "start\n...\nend\n"
        #expect(matcher.matches(actual: "start\nend\n", expected: expected), "zero lines")
        #expect(matcher.matches(actual: "start\nx\nend\n", expected: expected))
        #expect(matcher.matches(actual: "start\nx\ny\nz\nend\n", expected: expected))
        #expect(!matcher.matches(actual: "start\nx\n", expected: expected))
        #expect(matcher.matches(actual: "start\nanything\nafter\n", expected: "start\n...\n"))
        #expect(matcher.matches(actual: "", expected: "...\n"))
        #expect(matcher.matches(actual: "a\nb\nc\nd\n", expected: "...\nb\n...\nd\n"))
        #expect(!matcher.matches(actual: "a\nb\nc\n", expected: "...\nd\n..."))
    }

    @Test func unorderedComparesAMultisetOfLines() {
        let unordered = OutputMatcher(unordered: true)
        #expect(unordered.matches(actual: "b\na\na\n", expected: "a\nb\na\n"))
        #expect(!unordered.matches(actual: "a\nb\n", expected: "a\na\n"))
        #expect(!unordered.matches(actual: "a\nb\nc\n", expected: "c\nb\n"))
        #expect(!unordered.matches(actual: "a\n", expected: "a\nb\n"))
        #expect(unordered.matches(actual: "worker 2 done\nworker 1 done\n", expected: "worker ... done\nworker 2 done\n"),
                "a literal line takes its match before a wildcard line can")
        #expect(unordered.matches(actual: "x\nb\ny\na\n", expected: "a\nb\n...\n"), "... allows extra lines")
        #expect(!matcher.matches(actual: "b\na\n", expected: "a\nb\n"), "ordered by default")
    }

    @Test func defaultSanitizersMakeDurationsAddressesAndTempPathsEqual() {
        #expect(matcher.matches(actual: "took 12 ms\n", expected: "took 0.53s\n"))
        #expect(matcher.matches(actual: "took 1.2 µs\n", expected: "took <duration>\n"))
        #expect(matcher.matches(actual: "object at 0x7ffd5f2c10\n", expected: "object at 0x1234abcd\n"))
        #expect(matcher.matches(actual: "wrote /tmp/notes-run-ABC123/out.txt\n", expected: "wrote /tmp/x/out.txt\n"))
        #expect(!matcher.matches(actual: "took 12 ms\n", expected: "took 12 apples\n"))
        #expect(!matcher.matches(actual: "3 steps\n", expected: "4 steps\n"), "`s` must stand alone to be seconds")
    }

    @Test func sanitizerReplacesEveryMatch() throws {
        let durations = try #require(Sanitizer.defaults.first)
        #expect(durations.apply("12 ms, 0.53s and 1.2 µs, 7ns") == "<duration>, <duration> and <duration>, <duration>")
        let custom = try #require(Sanitizer(pattern: #"id=\d+"#, replacement: "id=$N"))
        #expect(custom.apply("id=42 id=7") == "id=$N id=$N", "the replacement is literal, not a template")
        #expect(Sanitizer(pattern: "((", replacement: "x") == nil)
    }

    @Test func diffShowsRecordedAndRealLines() {
        let diff = matcher.diff(actual: "a\nB\nc\nd\n", expected: "a\nb\nc\n", header: "Content/x.md:7")
        #expect(diff == """
        --- Content/x.md:7 (recorded)
        +++ real output
          a
        - b
        + B
          c
        + d
        """)
    }

    @Test func diffTreatsWildcardMatchesAsUnchanged() {
        let diff = matcher.diff(actual: "took 3 ms\nresult 41\n", expected: "took ...\nresult 42\n", header: "f:1")
        #expect(diff.split(separator: "\n").dropFirst(2) == ["  took 3 ms", "- result 42", "+ result 41"])
    }

    // MARK: Judging how a run ended

    @Test(arguments: [
        (Termination.exited(0), FenceOptions.Expectation.success, nil as String?),
        (.exited(1), .success, "expected to succeed, but it exited with code 1"),
        (.signaled(4), .success, "expected to succeed, but it crashed (signal 4, SIGILL)"),
        (.signaled(11), .crash, nil),
        (.exited(0), .crash, "expected a crash, but it exited normally"),
        (.exited(2), .failure(exit: nil), nil),
        (.exited(3), .failure(exit: 3), nil),
        (.exited(2), .failure(exit: 3), "expected exit code 3, but it exited with code 2"),
        (.exited(0), .failure(exit: nil), "expected a nonzero exit, but it exited normally"),
        (.timedOut(seconds: 2), .timeout, nil),
        (.exited(0), .timeout, "expected to be still running at its timeout, but it exited normally"),
        (.timedOut(seconds: 2), .success, "still running after 2 s"),
        (.outputLimit, .success, "expected to succeed, but it printed more than the output limit"),
    ])
    func endings(termination: Termination, expected: FenceOptions.Expectation, problem: String?) {
        let found = Checker.problem(termination, expected: expected)
        if let problem {
            #expect(found?.hasSuffix(problem) == true, "got: \(found ?? "nil")")
        } else {
            #expect(found == nil)
        }
    }

    @Test func unrecordedSilentSnippetIsVerified() throws {
        let snippet = try #require(try extract("```swift run\nlet x = 1\n```\n").runs.first)
        let checker = Checker(sanitizers: Sanitizer.defaults)
        let silent = checker.check(snippet, compile: .built(binary: "examples"),
                                   runs: [RunResult(output: "", termination: .exited(0), duration: 0)])
        #expect(silent.verdict == .verified)
        let noisy = checker.check(snippet, compile: .built(binary: "examples"),
                                  runs: [RunResult(output: "1\n", termination: .exited(0), duration: 0)])
        #expect(noisy.verdict == .unrecorded)
    }

    @Test func everyRepeatMustMatch() throws {
        let snippet = try #require(try extract("```swift run repeat=3\nprint(1)\n```\n\n```output\n1\n```\n").runs.first)
        let runs = ["1\n", "1\n", "2\n"].map { RunResult(output: $0, termination: .exited(0), duration: 0) }
        let report = Checker(sanitizers: []).check(snippet, compile: .built(binary: "examples"), runs: runs)
        #expect(report.verdict == .failed("output differs from the recorded output in 1 of 3 runs"))
    }

    /// Compiler messages and traps name Markdown lines, so prose added above a snippet changes its output:
    /// the failure says so, and how to record the new lines.
    @Test func outputThatDiffersOnlyInMarkdownLinesSaysTheSnippetMoved() throws {
        let note = "```swift run expect=crash\nfatalError()\n```\n\n```output\n01-a.md:2: Fatal error\n```\n"
        let snippet = try #require(try extract(note).runs.first)
        let checker = Checker(sanitizers: [])
        func verdict(_ output: String) -> Verdict {
            checker.check(snippet, compile: .built(binary: "examples"),
                          runs: [RunResult(output: output, termination: .signaled(4), duration: 0)]).verdict
        }
        #expect(verdict("01-a.md:2: Fatal error\n") == .expectedFailure)
        #expect(verdict("01-a.md:5: Fatal error\n") == .failed("output differs from the recorded output only in Markdown "
            + "line numbers: lines added or removed above moved the snippet; `--accept` records them again"))
        #expect(verdict("01-a.md:5: Fatal error: oops\n") == .failed("output differs from the recorded output"))
    }

    /// Output with control characters (a bell, the session marker's U+0001) and XML's own specials still
    /// makes a report an XML parser reads, with the characters shown as control pictures.
    @Test func junitReportIsWellFormedXMLWhateverTheOutput() throws {
        let snippet = try #require(try extract("```swift run id=noisy\nprint(1)\n```\n\n```output\n1\n```\n").runs.first)
        let output = "\u{1}\u{7}<b>&\"quoted\"\u{1B}[31m\u{FFFF}\n"
        let report = Checker(sanitizers: []).check(snippet, compile: .built(binary: "program"),
                                                    runs: [RunResult(output: output, termination: .exited(0), duration: 0)])
        var result = PipelineResult()
        result.reports = [report]
        let xml = CIReport.junit(result)
        let document = try XMLDocument(xmlString: xml)
        let failure = try #require(try document.nodes(forXPath: "//failure").first)
        let text = try #require(failure.stringValue)
        #expect(text.contains("␁␇<b>&\"quoted\"␛[31m\u{FFFD}"), "\(text)")
        #expect((failure as? XMLElement)?.attribute(forName: "message")?.stringValue == "output differs from the recorded output")
    }

    // MARK: Diagnostics

    @Test func diagnosticIsOneCompilerStyleLine() {
        #expect(Diagnostic(file: "Content/a.md", line: 41, "bad\nthing").description == "Content/a.md:41: error: bad thing")
        #expect(Diagnostic(file: "Content/a.md", severity: .warning, "no line").description
                == "Content/a.md: warning: no line")
    }

    @Test func githubAnnotationEscapesProperties() {
        let annotation = CIReport.githubAnnotation(Diagnostic(file: "Content/a,b.md", line: 3, "50% done\nnext"))
        #expect(annotation == "::error file=Content/a%2Cb.md,line=3::50%25 done%0Anext")
    }
}
