import Foundation
import Testing
@testable import NotesCore

extension Compiling {
    /// The oracle for what a snippet means: every program of the course (`Content/`) and of the corpus
    /// (`Tests/Differential/Corpus/`) goes through notes and, beside it, through plain `swiftc` as the
    /// reader would build it (`PlainProgram`). Both must agree on how it ends (compile error, exit code,
    /// signal, timeout), on the compiler's messages (errors, warnings and notes, at the same Markdown
    /// lines) and on the output. Output that varies from run to run (a fence with `unordered` or
    /// `repeat=`, or a recorded output with `...`) must match the recorded output on both sides instead.
    @Suite("Differential: notes against plain swiftc (real swiftc)", .timeLimit(.minutes(20)))
    struct DifferentialTests {

        @Test(arguments: ["Tests/Differential/Corpus", "Content"])
        func notesAgreesWithSwiftc(corpus: String) async throws {
            let folder = packageRoot.appendingPathComponent(corpus)
            let options = PipelineOptions(contentDirectory: folder, displayPrefix: corpus)
            let result = await offThePool { Pipeline.run(options) }
            #expect(!result.diagnostics.contains { $0.severity == .error }, "\(result.diagnostics)")
            let config = try CourseConfig.load(contentDirectory: folder, displayPrefix: corpus)
            let reports = Dictionary(uniqueKeysWithValues: result.reports.map { ($0.snippet.id, $0) })
            let programs = result.pages.flatMap { page in
                RunEntry.entries(for: page).map { entry in
                    PlainProgram(entry: entry, setup: page.setup, swiftVersion: entry.swiftVersion(course: config.swiftVersion),
                                 timeout: entry.timeout(default: config.timeout))
                }
            }
            #expect(programs.count >= (corpus == "Content" ? 60 : 150))

            let compare: @Sendable (PlainProgram) -> [String] = { program in
                do {
                    let scratch = try TemporaryFolder("notes-plain")
                    defer { scratch.remove() }
                    return Self.differences(program, plain: try program.run(in: scratch.url), reports: reports,
                                            sanitizers: config.sanitizers)
                } catch {
                    return ["\(program.entry.id): \(error)"]
                }
            }
            var problems = await offThePool { parallelMap(programs.filter { !$0.entry.serial }, jobs: 2, compare) }.flatMap { $0 }
            for program in programs where program.entry.serial { problems += await offThePool { compare(program) } }
            #expect(problems.isEmpty, "\(problems.count) of \(programs.count) programs differ:\n\(problems.joined(separator: "\n"))")
        }

        static func differences(_ program: PlainProgram, plain: PlainProgram.Outcome, reports: [String: SnippetReport],
                                sanitizers: [Sanitizer]) -> [String] {
            let entry = program.entry
            let snippetReports = entry.snippets.compactMap { reports[$0.id] }
            guard snippetReports.count == entry.snippets.count else { return ["\(entry.id): notes has no report"] }
            let last = snippetReports[snippetReports.count - 1]
            var problems: [String] = []

            let messages = Set(last.compilerMessages.map { "\($0.severity) \($0.file):\($0.line):\($0.column) \($0.message)" })
            if messages != plain.messages {
                problems.append("\(entry.id): compiler messages differ\n  only notes: \(messages.subtracting(plain.messages).sorted())"
                                + "\n  only swiftc: \(plain.messages.subtracting(messages).sorted())")
            }
            let ending: PlainProgram.Ending
            if last.compilerOutput != nil {
                ending = .compileError
            } else if last.runs.isEmpty {
                // notes does not run a program that should not have compiled.
                return problems + (plain.ending == .compileError ? ["\(entry.id): notes: compiled, swiftc: compile error"] : [])
            } else {
                switch last.runs.first?.termination {
                case .exited(let code)?: ending = .exited(code)
                case .signaled(let signal)?: ending = .signaled(signal)
                case .timedOut?: ending = .timedOut
                case let other: return problems + ["\(entry.id): notes ended as \(String(describing: other))"]
                }
            }
            if ending != plain.ending { problems.append("\(entry.id): notes: \(ending), swiftc: \(plain.ending)") }
            guard ending != .compileError else { return problems }

            // notes' output per snippet, joined, without the lines notes adds when it stops a program.
            let notesOutput = snippetReports.map { report in
                (report.runs.first?.output ?? "").split(separator: "\n", omittingEmptySubsequences: false)
                    .filter { !$0.hasPrefix("[stopped after ") && !$0.hasPrefix("[not reached: ") }.joined(separator: "\n")
            }.joined()
            let varies = entry.snippets.contains { $0.options.unordered || $0.options.repeatCount > 1
                || ($0.recorded?.text.contains("...") ?? false) }
            if varies {
                let recorded = entry.snippets.map { $0.recorded?.text ?? "...\n" }.joined()
                let matcher = OutputMatcher(sanitizers: sanitizers, unordered: entry.snippets.contains { $0.options.unordered })
                // A recorded timeout ends with the line notes adds when it stops a program.
                var plainOutput = plain.output
                if plain.ending == .timedOut, let stop = Termination.timedOut(seconds: program.timeout).stopLine {
                    plainOutput += (plainOutput.isEmpty || plainOutput.hasSuffix("\n") ? "" : "\n") + stop + "\n"
                }
                if !matcher.matches(actual: plainOutput, expected: recorded) {
                    problems.append("\(entry.id): swiftc's output does not match the recorded output\n"
                                    + matcher.diff(actual: plainOutput, expected: recorded, header: "recorded"))
                }
                if !last.verdict.passed { problems.append("\(entry.id): notes: \(last.verdict)") }
            } else {
                let exact = OutputMatcher(sanitizers: sanitizers)
                let ours = exact.lines(notesOutput).map(\.sanitized), theirs = exact.lines(plain.output).map(\.sanitized)
                if ours != theirs {
                    problems.append("\(entry.id): output differs\n"
                                    + LineDiff.unified(expected: theirs, actual: ours, header: "swiftc → notes", same: ==, text: { $0 }))
                }
            }
            return problems
        }
    }
}
