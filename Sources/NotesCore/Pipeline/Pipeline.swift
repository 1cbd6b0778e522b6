import Foundation

/// One program after the compile and run stages: how it compiled, its runs (per distinct run, then
/// per snippet), and the key to remember it under when it passes and did not come from the cache.
struct ProgramResult: Sendable {
    var build: BuildOutcome
    var runs: [[RunResult]]
    var cacheKey: String?
}

/// The whole pipeline a note travels through: load, parse, extract, compile, run, check, render, write.
/// `run` reads as that list; each stage is a call that takes data in and hands data on.
public enum Pipeline {
    public static func run(_ options: PipelineOptions) -> PipelineResult {
        let lock: ContentLock
        do {
            lock = try ContentLock(contentDirectory: options.contentDirectory) {
                options.progress(.note("waiting for another notes run on \(options.displayPrefix) to finish"))
            }
        } catch {
            return PipelineResult(diagnostics: [problem(error, file: options.displayPrefix)])
        }
        defer { withExtendedLifetime(lock) {} }
        // The compiler's version (for cache keys) is looked up while the notes are read and parsed;
        // when `swiftc --version` has to run, it is waited for before returning, so its temporary folder goes with it.
        let compilerVersion = options.cache.map { cache in BackgroundValue { options.compiler.version(rememberedIn: cache.directory) } }
        defer { _ = compilerVersion?.value }
        var result = PipelineResult()
        let config: CourseConfig, files: [SourceFile]
        do {
            config = try CourseConfig.load(contentDirectory: options.contentDirectory, displayPrefix: options.displayPrefix)
            files = try ContentLoader.load(contentDirectory: options.contentDirectory, displayPrefix: options.displayPrefix)
            if let output = options.output { try SiteWriter(output: output).checkOutputFolder(display: options.outputDisplay) }
        } catch {
            result.diagnostics.append(problem(error, file: options.displayPrefix))
            return result
        }
        let notes = parse(files, options: options, into: &result)
        let assets = ContentLoader.assets(contentDirectory: options.contentDirectory)
        result.diagnostics += LinkChecker.check(notes, assets: Set(assets)) + HeadingOutline.check(notes) + UnclosedFence.check(notes)
        let entries = result.pages.flatMap(RunEntry.entries)
        guard let workDirectory = try? TemporaryFolders.make("notes-build") else {
            result.diagnostics.append(Diagnostic(file: NSTemporaryDirectory(), "cannot create a temporary folder"))
            return result
        }
        defer { TemporaryFolders.remove(workDirectory) }
        let programs = compileAndRun(entries.filter { options.selects($0) }, pages: result.pages, config: config,
                                     options: options, compilerVersion: compilerVersion?.value, workDirectory: workDirectory,
                                     result: &result)
        result.reports = check(entries, programs: programs, config: config, options: options)
        if let output = options.output {
            // Written without a note that could not be read, the site would lose that page: it stays as it was.
            guard result.pages.count == files.count else {
                result.diagnostics.append(Diagnostic(file: options.outputDisplay, severity: .note,
                                                     "not written, since a note could not be read; the site there is as it was"))
                return result
            }
            renderAndWrite(Course(title: config.title, author: config.author, notes: notes), assets: assets, to: output,
                           options: options, result: &result)
        }
        return result
    }

    private static func problem(_ error: Error, file: String) -> Diagnostic {
        error as? Diagnostic ?? Diagnostic(file: file, "\(error)")
    }

    /// Parse and extract, in parallel: a broken note is reported and left out; the others go on.
    private static func parse(_ files: [SourceFile], options: PipelineOptions, into result: inout PipelineResult) -> [Note] {
        result.time("parse") { result in
            let counter = ProgressCounter(phase: "parsing", total: files.count, unit: "notes", to: options.progress)
            let parsed = parallelMap(files, jobs: options.jobs) { file -> Result<NoteSnippets, Diagnostic> in
                defer { counter.finishedOne() }
                return Result { try SnippetExtractor.extract(try NoteParser.parse(file)) }.mapError { problem($0, file: file.displayPath) }
            }
            for outcome in parsed {
                switch outcome {
                case .success(let page): result.pages.append(page)
                case .failure(let problem): result.diagnostics.append(problem)
                }
            }
            result.diagnostics += uniqueIDProblems(&result.pages)
            return result.pages.map(\.note)
        }
    }

    /// Check: per snippet, per repeat, on all cores. Programs that passed are remembered for next time.
    private static func check(_ entries: [RunEntry], programs: [String: ProgramResult], config: CourseConfig,
                              options: PipelineOptions) -> [SnippetReport] {
        let checker = Checker(sanitizers: config.sanitizers)
        return parallelMap(entries, jobs: options.jobs) { entry -> [SnippetReport] in
            guard let program = programs[entry.id] else { return entry.snippets.map(SnippetReport.notRun) }
            let reports = checker.check(entry, compile: program.build, runs: program.runs)
            if let key = program.cacheKey, reports.allSatisfy({ $0.verdict.passed && $0.verdict != .unrecorded }) {
                options.cache?.store(key: key, outcome: program.build, runs: program.runs)
            }
            return reports
        }.flatMap { $0 }
    }

    private static func renderAndWrite(_ course: Course, assets: [String], to output: URL, options: PipelineOptions,
                                       result: inout PipelineResult) {
        let site = result.time("render") { result in
            SiteFiles(course: course, reports: result.reports, assets: assets, contentDirectory: options.contentDirectory,
                      previous: options.cache == nil ? nil : output, jobs: options.jobs, progress: options.progress)
        }
        result.pagesRendered = site.rendered
        result.searchIndexBytes = site.searchIndexBytes
        result.time("write") { result in
            do {
                try SiteWriter(output: output).write(files: site.files, pageKeys: site.pageKeys, display: options.outputDisplay)
                result.pagesWritten = site.pages
            } catch {
                result.diagnostics.append(problem(error, file: options.outputDisplay))
            }
        }
    }

    /// Programs found in the cache are taken from it; the rest are compiled and run.
    private static func compileAndRun(_ selected: [RunEntry], pages: [NoteSnippets], config: CourseConfig,
                                      options: PipelineOptions, compilerVersion: String?,
                                      workDirectory: URL, result: inout PipelineResult) -> [String: ProgramResult] {
        let compilerVersion = options.cache.map { compilerVersion ?? options.compiler.version(rememberedIn: $0.directory) }
        var (done, misses) = cached(selected, pages: pages, config: config, options: options, compilerVersion: compilerVersion)
        guard !misses.isEmpty else { return done }
        let build = result.time("compile") { _ in
            ProgramBuild.compile(pages: pages, entries: misses.map(\.entry), config: config, compiler: options.compiler,
                                 workDirectory: workDirectory,
                                 jobs: options.jobs, tsan: options.tsan || config.tsan, progress: options.progress)
        }
        result.compilerInvocations = build.invocations
        result.compiledEntries = misses.map(\.entry.id)
        // A program that should not have compiled is not run: it already failed.
        let runnable = misses.map(\.entry).filter { entry in
            guard case .built = build.outcomes[entry.id] else { return false }
            return entry.expectation != .compileError
        }
        result.ranEntries = runnable.map(\.id)
        let runs = result.time("run") { _ in run(runnable, build: build, config: config, options: options) }
        for (entry, key) in misses {
            done[entry.id] = ProgramResult(build: build.outcomes[entry.id] ?? .failed([]), runs: runs[entry.id] ?? [], cacheKey: key)
        }
        return done
    }

    /// Cache hits, and the misses with the key each will be stored under.
    private static func cached(_ selected: [RunEntry], pages: [NoteSnippets], config: CourseConfig, options: PipelineOptions,
                               compilerVersion: String?) -> (hits: [String: ProgramResult], misses: [(entry: RunEntry, key: String?)]) {
        guard let cache = options.cache, let compilerVersion else { return ([:], selected.map { ($0, nil) }) }
        let setup = pages.setupByPage
        let limits = "timeout \(config.timeout) swift \(config.swiftVersion) \(config.limits.cacheKey)"
        // Thousands of small files to read and decode: spread over the cores.
        let lookups = parallelMap(selected, jobs: options.jobs) { entry in
            let flags = options.compiler.flags(swiftVersion: entry.swiftVersion(course: config.swiftVersion),
                                               instrumentation: entry.instrumentation(tsan: options.tsan || config.tsan))
            let key = cache.key(for: entry, setup: setup[entry.page] ?? [], compiler: compilerVersion, flags: flags, limits: limits)
            return (key, cache.load(key: key))
        }
        var hits: [String: ProgramResult] = [:], misses: [(entry: RunEntry, key: String?)] = []
        for (entry, (key, hit)) in zip(selected, lookups) {
            if let hit { hits[entry.id] = ProgramResult(build: hit.outcome, runs: hit.runs) } else { misses.append((entry, key)) }
        }
        options.progress(.note("\(hits.count) of \(selected.count) programs from the cache"))
        return (hits, misses)
    }

    /// Runs every built program, `--jobs` at a time; `serial` ones afterwards, alone.
    private static func run(_ entries: [RunEntry], build: ProgramBuild, config: CourseConfig,
                            options: PipelineOptions) -> [String: [[RunResult]]] {
        let runner = SnippetRunner(defaultTimeout: config.timeout, limits: config.limits, jobs: options.jobs,
                                   tools: RunTools(compiler: options.compiler))
        if !entries.isEmpty, let launcher = try? runner.tools.launcher.get() {
            for line in SandboxFeatures.current(launcher: launcher).missing { options.progress(.note(line)) }
        }
        if runner.tools.debugger == nil, entries.contains(where: { $0.expectation == .timeout }) {
            options.progress(.note("gdb is not installed: hung programs are shown without their threads' stacks (./setup.sh installs it)"))
        }
        let counter = ProgressCounter(phase: "running", total: entries.count, unit: "programs", to: options.progress)
        let runOne: @Sendable (RunEntry) -> (String, [[RunResult]]) = { entry in
            defer { counter.finishedOne() }
            guard case .built(let binary, _) = build.outcomes[entry.id] else { return (entry.id, []) }
            return (entry.id, runner.run(entry, binary: binary, instrumentation: entry.instrumentation(tsan: options.tsan || config.tsan)))
        }
        var runs = Dictionary(uniqueKeysWithValues: parallelMap(entries.filter { !$0.serial }, jobs: options.jobs, runOne))
        for entry in entries where entry.serial { runs[entry.id] = runOne(entry).1 }
        return runs
    }

    /// A duplicate id would name two programs alike; the later snippet is reported and left out.
    private static func uniqueIDProblems(_ pages: inout [NoteSnippets]) -> [Diagnostic] {
        var seen: [String: Snippet] = [:]
        var problems: [Diagnostic] = []
        for index in pages.indices {
            pages[index].runs.removeAll { snippet in
                if let first = seen[snippet.id] {
                    problems.append(Diagnostic(file: snippet.file, line: snippet.line,
                                               "snippet id '\(snippet.id)' is already used at \(first.file):\(first.line)"))
                    return true
                }
                seen[snippet.id] = snippet
                return false
            }
        }
        return problems
    }
}
