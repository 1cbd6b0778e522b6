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
        let rendered = result.time("render") { result in
            Result {
                try SiteFiles(course: course, reports: result.reports, assets: assets, contentDirectory: options.contentDirectory,
                              displayPrefix: options.displayPrefix, previous: options.cache == nil ? nil : output,
                              jobs: options.jobs, progress: options.progress)
            }
        }
        let site: SiteFiles
        do {
            site = try rendered.get()
        } catch {
            result.diagnostics.append(problem(error, file: options.outputDisplay))
            return
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
        let setup = pages.setupByPage
        let plans = selected.map { entry in
            ProgramPlan(entry: entry, setup: setup[entry.page] ?? [], config: config, tsan: options.tsan || config.tsan,
                        compiler: options.compiler, compilerVersion: compilerVersion ?? "", identity: options.cache?.identity ?? "")
        }
        var (done, misses) = cached(plans, options: options, cached: compilerVersion != nil)
        guard !misses.isEmpty else { return done }
        let build = result.time("compile") { _ in
            ProgramBuild.compile(misses.map(\.plan), compiler: options.compiler, workDirectory: workDirectory,
                                 jobs: options.jobs, progress: options.progress)
        }
        result.compilerInvocations = build.invocations
        result.compiledEntries = misses.map(\.plan.entry.id)
        // A program that should not have compiled is not run: it already failed.
        let runnable = misses.map(\.plan).filter { plan in
            guard case .built = build.outcomes[plan.entry.id] else { return false }
            return plan.entry.expectation != .compileError
        }
        result.ranEntries = runnable.map(\.entry.id)
        let runs = result.time("run") { _ in run(runnable, build: build, config: config, options: options) }
        for (plan, key) in misses {
            let id = plan.entry.id
            done[id] = ProgramResult(build: build.outcomes[id] ?? .failed([]), runs: runs[id] ?? [], cacheKey: key)
        }
        return done
    }

    /// Cache hits, and the misses with the key each will be stored under.
    private static func cached(_ plans: [ProgramPlan], options: PipelineOptions, cached: Bool)
        -> (hits: [String: ProgramResult], misses: [(plan: ProgramPlan, key: String?)]) {
        guard let cache = options.cache, cached else { return ([:], plans.map { ($0, nil) }) }
        // Thousands of small files to read and decode: spread over the cores.
        let lookups = parallelMap(plans, jobs: options.jobs) { plan in
            let key = plan.key
            return (key, key.flatMap(cache.load))
        }
        var hits: [String: ProgramResult] = [:], misses: [(plan: ProgramPlan, key: String?)] = []
        for (plan, (key, hit)) in zip(plans, lookups) {
            if let hit { hits[plan.entry.id] = ProgramResult(build: hit.outcome, runs: hit.runs) } else { misses.append((plan, key)) }
        }
        options.progress(.note("\(hits.count) of \(plans.count) programs from the cache"))
        return (hits, misses)
    }

    /// Runs every built program, `--jobs` at a time; `serial` ones afterwards, alone.
    private static func run(_ plans: [ProgramPlan], build: ProgramBuild, config: CourseConfig,
                            options: PipelineOptions) -> [String: [[RunResult]]] {
        let runner = SnippetRunner(defaultTimeout: config.timeout, limits: config.limits,
                                   tools: RunTools(compiler: options.compiler))
        if !plans.isEmpty, let launcher = try? runner.tools.launcher.get() {
            for line in SandboxFeatures.current(launcher: launcher).missing { options.progress(.note(line)) }
        }
        if runner.tools.debugger == nil, plans.contains(where: { $0.entry.expectation == .timeout }) {
            options.progress(.note("gdb is not installed: hung programs are shown without their threads' stacks (./setup.sh installs it)"))
        }
        let counter = ProgressCounter(phase: "running", total: plans.count, unit: "programs", to: options.progress)
        let runOne: @Sendable (ProgramPlan) -> (String, [[RunResult]]) = { plan in
            defer { counter.finishedOne() }
            guard case .built(let binary, _) = build.outcomes[plan.entry.id] else { return (plan.entry.id, []) }
            return (plan.entry.id, runner.run(plan.entry, binary: binary, instrumentation: plan.instrumentation))
        }
        var runs = Dictionary(uniqueKeysWithValues: parallelMap(plans.filter { !$0.entry.serial }, jobs: options.jobs, runOne))
        for plan in plans where plan.entry.serial { runs[plan.entry.id] = runOne(plan).1 }
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
