import Foundation

/// How an entry came out of the compile stage.
public enum BuildOutcome: Sendable {
    case built(binary: String)
    case failed([CompilerMessage])
}

/// Compile stage: every entry of the course compiled, with as few swiftc invocations as possible.
/// Swift 6 entries share one module, Swift 5 entries another (a large build splits them by page, see
/// `parts`); each `expect=compile-error` snippet is compiled alone so that it cannot break the others.
/// When a shared module fails, the entries its errors point at are taken out and the rest is
/// compiled again, like Rust's merged doctests.
public struct ExamplesBuild: Sendable {
    public var outcomes: [String: BuildOutcome]
    /// How many times swiftc ran on examples (the sandbox library aside); the point of one module is that this stays small.
    public var invocations: Int

    public static func compile(pages: [NoteSnippets], entries: [RunEntry], config: CourseConfig,
                               compiler: SwiftCompiler, workDirectory: URL, cache: (directory: URL, compilerVersion: String)? = nil,
                               jobs: Int = 1,
                               progress: @escaping @Sendable (BuildProgress) -> Void = { _ in }) -> ExamplesBuild {
        let sandbox: SandboxLibrary
        do {
            sandbox = try SandboxLibrary.prepare(compiler: compiler, compilerVersion: cache?.compilerVersion,
                                                 cache: cache?.directory, scratch: workDirectory)
        } catch {
            let message = CompilerMessage(file: "swiftc", line: 0, column: 0, severity: "error", message: "\(error)")
            return ExamplesBuild(outcomes: Dictionary(uniqueKeysWithValues: entries.map { ($0.id, .failed([message])) }), invocations: 1)
        }
        let setup = Dictionary(uniqueKeysWithValues: pages.map { ($0.note.source.relativePath, $0.setup) })
        var modules: [ExamplesModule] = []
        let shared = entries.filter { $0.expectation != .compileError }
        for version in [6, 5] {
            let members = shared.filter { ($0.swift5 ? 5 : config.swiftVersion) == version }
            for (index, part) in parts(members, jobs: jobs).enumerated() where !part.isEmpty {
                modules.append(ExamplesModule(name: "Examples\(version)" + (index > 0 ? "-\(index + 1)" : ""),
                                              swiftVersion: version, setup: setup, entries: part))
            }
        }
        for entry in entries where entry.expectation == .compileError {
            modules.append(ExamplesModule(name: "Check_" + entry.symbol, swiftVersion: entry.swift5 ? 5 : config.swiftVersion,
                                          setup: setup, entries: [entry]))
        }

        // Modules are independent, so they compile at the same time.
        let counter = ProgressCounter(phase: "compiling", total: modules.count, unit: modules.count == 1 ? "module" : "modules",
                                      to: progress)
        let compiled = parallelMap(modules, jobs: modules.count) { module in
            defer { counter.finishedOne() }
            return compileWithFallback(module, compiler: compiler, sandbox: sandbox,
                                       directory: workDirectory.appendingPathComponent(module.name))
        }
        var build = ExamplesBuild(outcomes: [:], invocations: 0)
        for (outcomes, invocations) in compiled {
            build.outcomes.merge(outcomes) { first, _ in first }
            build.invocations += invocations
        }
        return build
    }

    /// A large build is split by page into as many modules as there are cores (or a multiple, to keep
    /// each under about 1000 entries), compiled side by side: `swiftc -wmo` type-checks on one thread.
    /// A small one stays whole, as every swiftc run costs about 0.3 s however little it compiles.
    static func parts(_ entries: [RunEntry], jobs: Int) -> [[RunEntry]] {
        guard jobs > 1, entries.count >= 40 else { return [entries] }
        let count = jobs * ((entries.count + jobs * 1000 - 1) / (jobs * 1000))
        let size = (entries.count + count - 1) / count
        var parts: [[RunEntry]] = [[]]
        for entry in entries {
            // A page's entries stay together: they share its file and its setup code.
            if parts[parts.count - 1].count >= size, entry.page != parts[parts.count - 1].last?.page { parts.append([]) }
            parts[parts.count - 1].append(entry)
        }
        return parts
    }

    private static func compileWithFallback(_ module: ExamplesModule, compiler: SwiftCompiler, sandbox: SandboxLibrary,
                                            directory: URL) -> ([String: BuildOutcome], Int) {
        var outcomes: [String: BuildOutcome] = [:]
        var remaining = module
        var invocations = 0
        while !remaining.entries.isEmpty {
            invocations += 1
            let compilation: Compilation
            do {
                compilation = try compiler.compile(remaining, in: directory.appendingPathComponent("try\(invocations)"), sandbox: sandbox)
            } catch {
                let message = CompilerMessage(file: "swiftc", line: 0, column: 0, severity: "error", message: "\(error)")
                for entry in remaining.entries { outcomes[entry.id] = .failed([message]) }
                break
            }
            if let binary = compilation.binary {
                for entry in remaining.entries { outcomes[entry.id] = .built(binary: binary) }
                break
            }
            let errors = compilation.errors
            let broken = remaining.entries.filter { entry in errors.contains { blame($0, on: entry, setup: remaining.setup) } }
            // Nothing to blame (or a lone entry): every entry left fails with what the compiler said.
            if broken.isEmpty || remaining.entries.count == 1 {
                let shown = errors.isEmpty ? [CompilerMessage(file: module.name, line: 0, column: 0, severity: "error",
                                                              message: compilation.log)] : errors
                for entry in remaining.entries {
                    let own = compilation.messages.filter { blame($0, on: entry, setup: remaining.setup) }
                    outcomes[entry.id] = .failed(own.contains { $0.severity == "error" } ? own : shown)
                }
                break
            }
            for entry in broken {
                outcomes[entry.id] = .failed(compilation.messages.filter { blame($0, on: entry, setup: remaining.setup) })
            }
            let brokenIDs = Set(broken.map(\.id))
            remaining.entries.removeAll { brokenIDs.contains($0.id) }
        }
        return (outcomes, invocations)
    }

    /// Whether a compiler message points into one of the entry's snippets or its page's setup.
    static func blame(_ message: CompilerMessage, on entry: RunEntry, setup: [String: [Snippet]]) -> Bool {
        guard message.file == entry.page else { return false }
        let snippets = entry.snippets + (setup[entry.page] ?? [])
        return snippets.contains { snippet in
            let lines = snippet.code.split(separator: "\n", omittingEmptySubsequences: false).count
            return message.line > snippet.line && message.line <= snippet.line + max(1, lines)
        }
    }
}
