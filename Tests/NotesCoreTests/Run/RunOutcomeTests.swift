import Foundation
import Testing
@testable import NotesCore

/// Run stage through the real pipeline: one note full of snippets that end in every way the fence
/// contract knows, compiled by the real swiftc and run as real child processes, once for all tests here.
extension Compiling {
    @Suite("Run outcomes (real swiftc, real processes)")
    struct RunOutcomeTests {
        static let note = """
        ---
        title: Outcomes
        ---
        # Outcomes

        ```swift run id=ok
        print("all good")
        ```

        ```output
        all good
        ```

        ```swift run id=broken
        let x: Int = "not a number"
        print(x)
        ```

        ```swift run id=trap expect=crash
        let numbers = [1, 2, 3]
        print("before the trap")
        print(numbers[numbers.count + 4])
        ```

        ```swift run id=boom expect=crash
        print("about to fail")
        fatalError("boom")
        ```

        ```swift run id=hang expect=timeout timeout=1
        import Foundation
        print("waiting forever")
        while true { sleep(1) }
        ```

        ```swift run id=compiles-anyway expect=compile-error
        print("this compiles")
        ```

        ```swift run id=type-error expect=compile-error
        let n: Int = "seven"
        ```

        ```output
        ...error: cannot convert value of type 'String' to specified type 'Int'
        ```

        ```swift run id=finishes expect=timeout timeout=5
        print("done quickly")
        ```

        ```swift run id=exit-three expect=failure exit=3
        import Foundation
        print("giving up")
        exit(3)
        ```

        ```output
        giving up
        ```

        ```swift run id=exit-four expect=failure exit=4
        import Foundation
        exit(3)
        ```

        ```swift run id=no-crash expect=crash
        print("nothing goes wrong")
        ```

        ```swift run id=no-failure expect=failure
        print("exits with 0")
        ```

        ## A session

        ```swift run session=bank
        var balance = 100
        print("opened with \\(balance)")
        ```

        ```output
        opened with 100
        ```

        The second snippet of the session sees `balance` from the first.

        ```swift run session=bank
        balance -= 30
        print("balance now \\(balance)")
        ```

        ```output
        balance now 70
        ```

        ## Language modes

        ```swift run id=mode-five swift5
        #if swift(>=6)
        print("language mode 6")
        #else
        print("language mode 5")
        #endif
        ```

        ```output
        language mode 5
        ```

        ```swift run id=mode-six
        #if swift(>=6)
        print("language mode 6")
        #else
        print("language mode 5")
        #endif
        ```

        ```output
        language mode 6
        ```

        ## Mismatch

        ```swift run id=wrong-output
        print(1 + 1)
        ```

        ```output
        3
        ```

        ## Serial

        ```swift run id=alone serial
        print("ran alone")
        ```

        ```output
        ran alone
        ```

        ## Environment

        ```swift run id=environment
        import Foundation
        let env = ProcessInfo.processInfo.environment
        print(env["LANG"] ?? "-", env["TZ"] ?? "-", env["SWIFT_BACKTRACE"] ?? "-")
        print(readLine() == nil ? "stdin closed" : "stdin open")
        print(try FileManager.default.contentsOfDirectory(atPath: ".").count, "files in the working folder")
        ```

        ```output
        C.UTF-8 UTC enable=no
        stdin closed
        0 files in the working folder
        ```

        """

        static let course = Task { try await BuiltCourse.build(notes: ["outcomes.md": note]) }

        func built() async throws -> BuiltCourse { try await Self.course.value }

        func fenceLine(_ needle: String) -> Int { line(of: needle, in: Self.note) }

        @Test func successfulSnippetIsVerified() async throws {
            let report = try await built().report("ok")
            #expect(report.verdict == .verified)
            #expect(report.output == "all good\n")
            #expect(report.runs.map(\.termination) == [.exited(0)])
        }

        @Test func compileErrorInOneSnippetIsReportedAtTheMarkdownLineAndTheOthersStillRun() async throws {
            let course = try await built()
            let broken = try course.report("broken")
            #expect(broken.verdict == .failed("does not compile"))
            #expect(broken.runs.isEmpty)
            let badLine = line(of: #"let x: Int = "not a number""#, in: Self.note)
            let errors = broken.diagnostics.filter { $0.message.contains("cannot convert value of type 'String'") }
            #expect(errors.map(\.file) == ["Content/outcomes.md"])
            #expect(errors.map(\.line) == [badLine])
            // The summary line names the fence.
            #expect(broken.diagnostics.first?.line == fenceLine("id=broken"))
            // Everything else in the shared module was compiled again without it, and ran.
            for id in ["ok", "exit-three", "mode-six", "environment"] {
                #expect(try course.report(id).verdict.passed, "\(id) should still run")
            }
        }

        @Test func aSnippetThatShouldNotCompileButDoesIsNotRun() async throws {
            let course = try await built()
            #expect(!course.result.ranEntries.contains("compiles-anyway"))
            #expect(try course.report("compiles-anyway").runs.isEmpty)
        }

        @Test func trapIsAnExpectedCrashWithTheMessageAndNoBacktrace() async throws {
            let report = try await built().report("trap")
            #expect(report.verdict.passed, "\(report.verdict)")
            #expect(report.verdict == .unrecorded)
            let run = try #require(report.runs.first)
            guard case .signaled = run.termination else {
                Issue.record("expected a signal, got \(run.termination)")
                return
            }
            #expect(run.output.hasPrefix("before the trap\n"))
            #expect(run.output.contains("Fatal error: Index out of range"))
            #expect(!run.output.contains("Current stack trace"))
        }

        @Test func fatalErrorNamesTheMarkdownLine() async throws {
            let report = try await built().report("boom")
            #expect(report.verdict == .unrecorded)
            let trapLine = fenceLine(#"fatalError("boom")"#)
            #expect(report.output.hasPrefix("about to fail\n"))
            #expect(report.output.contains("outcomes.md:\(trapLine): Fatal error: boom"), "\(report.output)")
            // The trap names `#fileID`; every compilation uses one module name, so it reads the same
            // in every language mode (it once read `Examples6/outcomes.md:N`).
            #expect(!report.output.contains("Examples6/"), "\(report.output)")
            
        }

        @Test func serialSnippetRuns() async throws {
            #expect(try await built().report("alone").verdict == .verified)
        }

        @Test func timeoutStopsTheProgramAndSaysSo() async throws {
            let report = try await built().report("hang")
            #expect(report.verdict.passed, "\(report.verdict)")
            let run = try #require(report.runs.first)
            #expect(run.termination == .timedOut(seconds: 1))
            #expect(run.output.hasPrefix("waiting forever\n"))
            #expect(run.output.hasSuffix("[stopped after 1 s: timeout]\n"))
        }

        @Test func expectedCompileErrorThatCompilesFails() async throws {
            let report = try await built().report("compiles-anyway")
            guard case .failed(let reason) = report.verdict else {
                Issue.record("expected a failed verdict, got \(report.verdict)")
                return
            }
            #expect(reason.contains("incorrectly succeeded"))
        }

        @Test func expectedCompileErrorShowsCompilerMessagesWithMarkdownLines() async throws {
            let report = try await built().report("type-error")
            #expect(report.verdict == .expectedFailure)
            let output = try #require(report.compilerOutput)
            #expect(output.contains("outcomes.md:\(fenceLine(#"let n: Int = "seven""#)):"))
        }

        @Test func expectedTimeoutThatFinishesFails() async throws {
            let report = try await built().report("finishes")
            #expect(report.verdict == .failed("expected to be still running at its timeout, but it exited normally"))
        }

        @Test func expectedFailureWithExitCode() async throws {
            let course = try await built()
            let three = try course.report("exit-three")
            #expect(three.verdict == .expectedFailure)
            #expect(three.runs.map(\.termination) == [.exited(3)])
            #expect(three.output == "giving up\n")

            let four = try course.report("exit-four")
            #expect(four.verdict == .failed("expected exit code 4, but it exited with code 3"))
        }

        @Test func expectedCrashOrFailureThatSucceedsFails() async throws {
            let course = try await built()
            #expect(try course.report("no-crash").verdict == .failed("expected a crash, but it exited normally"))
            #expect(try course.report("no-failure").verdict == .failed("expected a nonzero exit, but it exited normally"))
        }

        @Test func sessionCarriesStateAndSplitsOutputPerSnippet() async throws {
            let course = try await built()
            let session = course.result.reports.filter { $0.snippet.options.session == "bank" }
            #expect(session.map(\.output) == ["opened with 100\n", "balance now 70\n"])
            #expect(session.map(\.verdict) == [.verified, .verified])
            // Each output sits under its own snippet on the page: inside that snippet's figure.
            let html = try course.page("outcomes.html")
            let firstFigure = try #require(html.range(of: "id=\"snippet-\(session[0].snippet.id)\""))
            let secondFigure = try #require(html.range(of: "id=\"snippet-\(session[1].snippet.id)\""))
            let first = try #require(html.range(of: "opened with 100"))
            let second = try #require(html.range(of: "balance now 70"))
            #expect(firstFigure.lowerBound < first.lowerBound)
            #expect(first.lowerBound < secondFigure.lowerBound)
            #expect(secondFigure.lowerBound < second.lowerBound)
        }

        @Test func swift5SnippetCompilesInSwift5Mode() async throws {
            let course = try await built()
            #expect(try course.report("mode-five").verdict == .verified)
            #expect(try course.report("mode-five").output == "language mode 5\n")
            #expect(try course.report("mode-six").output == "language mode 6\n")
            #expect(try course.page("outcomes.html").contains("Swift 5 mode"))
        }

        @Test func mismatchedOutputFailsWithADiff() async throws {
            let report = try await built().report("wrong-output")
            #expect(report.verdict == .failed("output differs from the recorded output"))
            let outputFence = line(of: "```output", in: Self.note, after: fenceLine("print(1 + 1)"))
            let diff = try #require(report.diff)
            #expect(diff.split(separator: "\n").map(String.init) == [
                "--- Content/outcomes.md:\(outputFence) (recorded)",
                "+++ real output",
                "- 3",
                "+ 2",
            ])
            #expect(report.diagnostics.first?.line == outputFence)
            #expect(try await built().page("outcomes.html").contains("Recorded output differs"))
        }

        @Test func snippetRunsInAFixedEnvironment() async throws {
            let report = try await built().report("environment")
            #expect(report.verdict == .verified, "\(report.output)")
        }

        @Test func summaryCountsEveryVerdict() async throws {
            let result = try await built().result
            // Failed: broken, compiles-anyway, finishes, exit-four, no-crash, no-failure, wrong-output.
            #expect(result.failed == 7)
            #expect(result.passed == result.reports.count - 7)
            #expect(result.summary == "\(result.reports.count - 7) passed, 7 failed")
            #expect(!result.succeeded)
        }
    }
}
