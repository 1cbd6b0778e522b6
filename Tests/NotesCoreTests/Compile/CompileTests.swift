import Foundation
import Testing
@testable import NotesCore

/// Compile stage: a snippet's program is its code as `main.swift`, the page's setup as `setup.swift`.
@Suite("Compile: program sources")
struct CompileTests {
    @Test func mainSwiftIsTheSnippetAsWrittenWithItsMarkdownLine() throws {
        let page = try extract("""
        # Page

        ```swift setup
        let base = 40
        ```

        ```swift run id=plus-two
        print(base + 2)
        ```
        """, path: "lessons/page.md")
        let program = ProgramSource(entry: RunEntry.entries(for: page)[0], setup: page.setup, swiftVersion: 6)
        #expect(program.files == [
            ProgramSource.File(name: "main.swift",
                               text: "#sourceLocation(file: \"lessons/page.md\", line: 8)\nprint(base + 2)\n#sourceLocation()\n"),
            ProgramSource.File(name: "setup.swift",
                               text: "#sourceLocation(file: \"lessons/page.md\", line: 4)\nlet base = 40\n#sourceLocation()\n"),
        ])
    }

    @Test func aSessionIsOneMainSwiftWithABoundaryPrintBetweenItsSnippets() throws {
        let page = try extract("""
        ```swift run session=s
        var total = 1
        ```

        ```swift run session=s
        total += 1
        print(total)
        ```
        """)
        let entries = RunEntry.entries(for: page)
        #expect(entries.count == 1)
        let program = ProgramSource(entry: entries[0], setup: [], swiftVersion: 5)
        #expect(program.files.map(\.name) == ["main.swift"], "no setup blocks, no setup file")
        #expect(program.files[0].text == """
            #sourceLocation(file: "note.md", line: 2)
            var total = 1
            #sourceLocation()
            Swift.print("\\u{1}\(ProgramSource.boundary(1, entry: entries[0].id).dropFirst())")
            #sourceLocation(file: "note.md", line: 6)
            total += 1
            print(total)
            #sourceLocation()

            """)
    }
}

extension Compiling {
    /// What a reader gets from `swiftc -swift-version 6 main.swift`, which wrapping a snippet in a function
    /// used to change. `DifferentialTests` checks the same against swiftc over a whole corpus.
    @Suite("Compile: a snippet is its own main.swift (real swiftc)")
    struct SnippetProgramTests {
        func report(_ id: String, in result: PipelineResult) throws -> SnippetReport {
            try #require(result.reports.first { $0.snippet.id == id })
        }

        @Test func topLevelCodeWithoutAwaitIsSynchronous() async throws {
            let result = try await verify(notes: ["sync.md": """
                ```swift run id=sleeps
                import Foundation
                let lock = NSLock()
                lock.lock()
                Thread.sleep(forTimeInterval: 0.01)
                lock.unlock()
                print("slept")
                ```

                ```output
                slept
                ```
                """])
            let sleeps = try report("sleeps", in: result)
            #expect(sleeps.verdict == .verified, "\(sleeps.verdict): \(sleeps.output)")
        }

        @Test func topLevelFunctionsAreNonisolatedAndTopLevelVariablesAreMainActorGlobals() async throws {
            let note = """
                ```swift run id=from-a-queue
                import Foundation
                func greet() -> String { "hello from a queue" }
                let done = DispatchSemaphore(value: 0)
                DispatchQueue.global().async {
                    print(greet())
                    done.signal()
                }
                done.wait()
                ```

                ```output
                hello from a queue
                ```

                ```swift run expect=compile-error id=global-counter
                import Foundation
                var counter = 0
                DispatchQueue.concurrentPerform(iterations: 2) { _ in
                    counter += 1
                }
                ```
                """
            let result = try await verify(notes: ["isolation.md": note])
            let queue = try report("from-a-queue", in: result)
            #expect(queue.verdict == .verified, "\(queue.verdict): \(queue.output)")
            let counter = try report("global-counter", in: result)
            let errors = counter.compilerMessages.filter { $0.severity == .error }
            #expect(errors.map(\.message) == ["main actor-isolated var 'counter' can not be mutated from a nonisolated context"])
            #expect(errors.first?.line == line(of: "counter += 1", in: note))
            #expect(errors.first?.file == "isolation.md")
        }

        @Test func extensionsOperatorsAndConformancesOfTheSnippetsOwnTypesWork() async throws {
            let result = try await verify(notes: ["types.md": """
                ```swift run id=point
                struct Point { var x, y: Int }
                extension Point: Equatable {}
                extension Point: CustomStringConvertible {
                    var description: String { "(\\(x), \\(y))" }
                }
                infix operator <+>: AdditionPrecedence
                func <+> (a: Point, b: Point) -> Point { Point(x: a.x + b.x, y: a.y + b.y) }
                let sum = Point(x: 1, y: 2) <+> Point(x: 3, y: 4)
                print(sum, sum == Point(x: 4, y: 6))
                ```

                ```output
                (4, 6) true
                ```
                """])
            let point = try report("point", in: result)
            #expect(point.verdict == .verified, "\(point.verdict): \(point.output)")
        }

        /// Two snippets of a page are two programs: the same extension in each is fine, and neither sees
        /// the other's names.
        @Test func snippetsOfAPageNeverSeeEachOther() async throws {
            let result = try await verify(notes: ["ext.md": """
                ```swift run id=ext-one
                extension Int { var doubled: Int { self * 2 } }
                print(21.doubled)
                ```

                ```output
                42
                ```

                ```swift run id=ext-two
                extension Int { var doubled: Int { self + self } }
                print(4.doubled)
                ```

                ```output
                8
                ```

                ```swift run expect=compile-error id=borrows
                print(5.doubled)
                ```
                """])
            #expect(try report("ext-one", in: result).verdict == .verified)
            let two = try report("ext-two", in: result)
            #expect(two.verdict == .verified, "\(two.verdict): \(two.output)")
            let borrows = try report("borrows", in: result)
            #expect(borrows.compilerMessages.map(\.message) == ["value of type 'Int' has no member 'doubled'"])
        }

        @Test func aCompileErrorSnippetThatCompilesFailsWithoutRunning() async throws {
            let result = try await verify(notes: ["wrong.md": """
                ```swift run expect=compile-error id=compiles
                import Foundation
                try "ran".write(toFile: "/tmp/notes-should-not-run-\\(getpid())", atomically: true, encoding: .utf8)
                print("ran")
                ```
                """])
            let report = try report("compiles", in: result)
            #expect(report.verdict == .failed("expected a compile error, but it compiled (incorrectly succeeded)"))
            #expect(report.runs.isEmpty)
            #expect(!result.ranEntries.contains("compiles"))
        }

        @Test func warningsOfAProgramThatBuiltAreKept() async throws {
            let result = try await verify(notes: ["warn.md": """
                ```swift run id=warns
                let name: String? = "Ada"
                print("\\(name)")
                func f() { let local = 3 }
                ```
                """])
            let warnings = try report("warns", in: result).compilerMessages.filter { $0.severity == .warning }
            #expect(warnings.map(\.message) == [
                "string interpolation produces a debug description for an optional value; did you mean to make this explicit?",
                "initialization of immutable value 'local' was never used; consider replacing with assignment to '_' or removing it [#no-usage]",
            ])
            #expect(warnings.map(\.line) == [3, 4])
        }

        @Test func timeoutsMayBeFractions() async throws {
            let started = Date()
            let result = try await verify(notes: ["hang.md": """
                ```swift run expect=timeout timeout=0.5 id=hang
                import Foundation
                print("waiting")
                DispatchSemaphore(value: 0).wait()
                ```

                ```output
                waiting
                [stopped after 0.5 s: timeout]
                ```
                """])
            let hang = try report("hang", in: result)
            #expect(hang.verdict == .expectedFailure, "\(hang.verdict): \(hang.output)")
            #expect(Date().timeIntervalSince(started) < 30)
        }

        /// A session's program id (`<page>:session:<name>`) cannot clash with a snippet id, which has no `:`.
        @Test func sessionProgramIdNeverCollidesWithASnippetId() async throws {
            let result = try await verify(notes: [
                "b.md": "# B\n\n```swift run session=s\nprint(1)\n```\n\n```output\n1\n```\n",
                "c.md": "# C\n\n```swift run id=b-session-s\nprint(2)\n```\n\n```output\n2\n```\n",
                "d.md": "# D\n\n```swift run id=bystander\nprint(3)\n```\n\n```output\n3\n```\n",
            ])
            #expect(result.succeeded)
            #expect(result.reports.allSatisfy { $0.verdict == .verified })
        }
    }
}
