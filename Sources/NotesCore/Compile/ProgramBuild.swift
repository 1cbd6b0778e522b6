import Foundation

/// How an entry came out of the compile stage. A built program keeps the compiler's warnings:
/// they are part of what its reader sees.
public enum BuildOutcome: Sendable {
    case built(binary: String, warnings: [CompilerMessage] = [])
    case failed([CompilerMessage])

    /// What the compiler said about the program: its warnings, or every message of a failed compile.
    public var messages: [CompilerMessage] {
        switch self {
        case .built(_, let warnings): warnings
        case .failed(let messages): messages
        }
    }
}

/// Compile stage: every entry becomes its own program, compiled the way its reader would compile it
/// (`swiftc -swift-version N main.swift setup.swift`), so that it compiles, diagnoses and runs exactly
/// as that program does. Programs compile `jobs` at a time.
public struct ProgramBuild: Sendable {
    public var outcomes: [String: BuildOutcome]
    /// How many times swiftc ran (the sandbox object aside).
    public var invocations: Int

    static func compile(_ plans: [ProgramPlan], compiler: SwiftCompiler, workDirectory: URL, jobs: Int = 1,
                        progress: @escaping @Sendable (BuildProgress) -> Void = { _ in }) -> ProgramBuild {
        // The plain sandbox object, and its ThreadSanitizer variant when a program needs it.
        let sandboxes: [Bool: SandboxObject]
        do {
            var prepared: [Bool: SandboxObject] = [:]
            for tsanVariant in Set(plans.map(\.instrumentation.threadSanitizer)) {
                prepared[tsanVariant] = try SandboxObject.prepare(compiler: compiler, scratch: workDirectory, threadSanitizer: tsanVariant)
            }
            sandboxes = prepared
        } catch {
            let message = CompilerMessage(file: "notes", line: 0, column: 0, severity: .error, message: "\(error)")
            return ProgramBuild(outcomes: Dictionary(uniqueKeysWithValues: plans.map { ($0.entry.id, .failed([message])) }), invocations: 0)
        }
        let timelineSource: String
        do {
            timelineSource = plans.contains(where: \.instrumentation.timeline) ? try ProgramResource.timeline.text() : ""
        } catch {
            let message = CompilerMessage(file: "notes", line: 0, column: 0, severity: .error, message: "\(error)")
            return ProgramBuild(outcomes: Dictionary(uniqueKeysWithValues: plans.map { ($0.entry.id, .failed([message])) }), invocations: 0)
        }
        let programs = plans.map { $0.source(timelineSource: timelineSource) }
        let counter = ProgressCounter(phase: "compiling", total: programs.count, unit: "programs", to: progress)
        let outcomes = parallelMap(Array(programs.enumerated()), jobs: jobs) { index, program in
            defer { counter.finishedOne() }
            return compile(program, compiler: compiler, sandbox: sandboxes[program.instrumentation.threadSanitizer]!,
                           directory: workDirectory.appendingPathComponent("program\(index)"))
        }
        return ProgramBuild(outcomes: Dictionary(uniqueKeysWithValues: zip(plans.map(\.entry.id), outcomes)),
                            invocations: programs.count)
    }

    private static func compile(_ program: ProgramSource, compiler: SwiftCompiler, sandbox: SandboxObject,
                                directory: URL) -> BuildOutcome {
        let compilation: Compilation
        do {
            compilation = try compiler.compile(program, in: directory, linking: [sandbox.path])
        } catch {
            return .failed([CompilerMessage(file: "swiftc", line: 0, column: 0, severity: .error, message: "\(error)")])
        }
        let messages = compilation.messages.map(program.locate)
        // `#sourceLocation(file: "other.md", …)` in a snippet would put its messages on another page: they
        // are shown at the snippet's fence instead, naming where they claimed to be, and the snippet fails.
        let strangers = messages.filter { $0.file.hasSuffix(".md") && $0.file != program.entry.page }
        if let stranger = strangers.first {
            let fence = program.entry.snippets[0].line
            let kept = messages.map { message in
                guard message.file.hasSuffix(".md"), message.file != program.entry.page else { return message }
                var moved = message
                (moved.file, moved.line, moved.column) = (program.entry.page, fence, 0)
                moved.message = "[placed at \(message.file):\(message.line) by the snippet] " + message.message
                return moved
            }
            return .failed(kept + [CompilerMessage(file: program.entry.page, line: fence, column: 0, severity: .error,
                                                   message: "the compiler's messages name \(stranger.file), another page "
                                                   + "than this snippet's; notes does not place them there")])
        }
        if let binary = compilation.binary {
            return .built(binary: binary, warnings: messages)
        }
        // A failure without a located message (a crash of the compiler, a link error): its whole log.
        guard compilation.errors.isEmpty else { return .failed(messages) }
        let log = compilation.log.trimmingCharacters(in: .whitespacesAndNewlines)
        return .failed(messages + [CompilerMessage(file: program.entry.page, line: program.entry.snippets[0].line,
                                                               column: 0, severity: .error, message: log)])
    }
}
