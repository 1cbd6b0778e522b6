import Foundation

/// Run stage: starts an entry's program once (and once more per `repeat=`), each run in a fresh
/// temporary folder, with a reduced, fixed environment so output does not vary with the user's machine,
/// inside the sandbox that `notes-launch` sets up from `limits`.
public struct SnippetRunner: Sendable {
    public var defaultTimeout: Int
    public var limits: SandboxLimits
    public var tools: RunTools

    public init(defaultTimeout: Int, limits: SandboxLimits = SandboxLimits(),
                tools: RunTools = RunTools()) {
        self.defaultTimeout = defaultTimeout
        self.limits = limits
        self.tools = tools
    }

    static let environment: [String: String] = [
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "TZ": "UTC",
        // No register dump: it changes on every run and buries the trap message.
        "SWIFT_BACKTRACE": "enable=no",
    ]

    /// Runs one entry: its result per snippet (a session's output is split at the boundaries), per
    /// distinct run: a run that ends exactly like an earlier one only adds to that one's `count`.
    /// A timeline is kept from the run of median duration alone, on the first distinct run.
    public func run(_ entry: RunEntry, binary: String, instrumentation: Instrumentation = Instrumentation()) -> [[RunResult]] {
        var distinct: [[RunResult]] = []
        var timelines: [(duration: Double, timeline: Timeline)] = []
        for number in 1...entry.repeatCount {
            var run = runOnce(entry, binary: binary, instrumentation: instrumentation)
            if var timeline = run.first?.timeline {
                timeline.run = number
                timelines.append((run[0].duration, timeline))
                run[0].timeline = nil
            }
            if let index = distinct.firstIndex(where: { known in zip(known, run).allSatisfy { $0.sameRun(as: $1) } }) {
                for snippet in distinct[index].indices { distinct[index][snippet].count += 1 }
            } else {
                distinct.append(run)
            }
        }
        if !timelines.isEmpty, !distinct.isEmpty {
            var median = timelines.sorted { $0.duration < $1.duration }[timelines.count / 2].timeline
            median.runs = entry.repeatCount
            distinct[0][0].timeline = median
        }
        return distinct
    }

    /// What notes saw of a run besides its output: ThreadSanitizer's races, gdb's threads, the spans.
    private struct Observations {
        var races: [RaceReport] = []
        var threads: ThreadDump?
        var timeline: Timeline?
        /// Whether the kernel killed a process of the run at the run's memory bound; nil without a cgroup.
        var outOfMemory: Bool?
        /// Why what the program left for notes cannot be trusted, when it cannot.
        var refusal: String?
        /// A file in the run's folder is as large as the file size limit: the kernel, not the program, sent SIGXFSZ.
        var reachedFileLimit = false
    }

    private func runOnce(_ entry: RunEntry, binary: String, instrumentation: Instrumentation) -> [RunResult] {
        let timeout = entry.timeout(default: defaultTimeout)
        var outcome: ProcessOutcome, seen: Observations
        do {
            (outcome, seen) = try execute(entry, binary: binary, instrumentation: instrumentation, timeout: timeout)
        } catch {
            return entry.snippets.map { _ in RunResult(output: "\(error)", termination: .exited(127), duration: 0) }
        }
        outcome.termination = limitReached(outcome, timeout: timeout, cgroupOutOfMemory: seen.outOfMemory,
                                           reachedFileLimit: seen.reachedFileLimit) ?? outcome.termination
        if let refusal = seen.refusal { outcome.termination = .refused(refusal) }
        let captured = Self.clean(OutputLines(bytes: outcome.output, stderrRanges: outcome.stderrRanges))
        let boundaries = (1..<entry.snippets.count).map { ProgramSource.boundary($0, entry: entry.id) }
        let split = captured.split(atBoundaries: boundaries, prefix: ProgramSource.boundaryPrefix)
        if split == nil {
            outcome.termination = .refused("it printed a session boundary that notes did not put there, so its output cannot be told apart per snippet")
        }
        // Unsplit, the whole output shows under the first snippet, notes' own boundaries as plain marks.
        var parts = (split ?? [captured.replacingLines(endingWith: boundaries, by: "[a session boundary]")])
            .map { ($0.text, $0.errorLines) }
        // The snippet running when the program ended owns its ending; a session that ended early
        // leaves its later snippets unreached, and they share that ending.
        let ending = parts.count - 1
        let missing = split == nil ? "[not shown apart: this session's output is all under its first snippet]\n"
                                   : "[not reached: the session ended in an earlier snippet]\n"
        while parts.count < entry.snippets.count { parts.append((missing, [])) }
        return parts.indices.map { index in
            var (output, errorLines) = parts[index]
            if index == ending, let stop = outcome.termination.stopLine {
                if !output.isEmpty, !output.hasSuffix("\n") { output += "\n" }
                output += stop + "\n"
            }
            var result = RunResult(output: output, stderrLines: errorLines,
                                   termination: index >= ending ? outcome.termination : .exited(0), duration: outcome.duration)
            // What TSan and gdb saw belongs to the program, shown with the snippet that was running at its end.
            if index == ending { (result.races, result.threads, result.timeline) = (seen.races, seen.threads, seen.timeline) }
            return result
        }
    }

    /// Starts the program through `notes-launch` in a fresh folder that it may write to and that goes
    /// afterwards, and reads what ThreadSanitizer and the timeline left for notes in a second folder, where
    /// the program may add files but not remove, rename or truncate them.
    private func execute(_ entry: RunEntry, binary: String, instrumentation: Instrumentation,
                         timeout: Double) throws -> (ProcessOutcome, Observations) {
        let launcher = try tools.launcher.get()
        ProcessGroups.prepareForRuns
        let dir = try TemporaryFolders.make("notes-run")
        defer { TemporaryFolders.remove(dir) }
        let logs = try TemporaryFolders.make("notes-logs")
        defer { TemporaryFolders.remove(logs) }
        let user = SandboxUser.pick()
        if let user { try SandboxUser.give([dir, logs], to: user) }
        let bounds = user.map { RunBounds.make(folder: dir, logs: logs, user: $0, limits: limits) } ?? RunBounds()
        defer { bounds.remove() }
        var seen = Observations()
        let dump: ((pid_t) -> Void)? = entry.expectation == .timeout ? tools.debugger.map { gdb in { pid in
            seen.threads = ThreadDump.capture(pid: pid, binary: binary, pages: [entry.page], gdb: gdb, symbols: tools.symbols)
        } } : nil
        // With a cgroup, memory is the run's resident memory, and RLIMIT_AS (which counts reserved address
        // space, and fails an allocation rather than telling anyone) is left off.
        let settings = limits.launchSettings(timeout: timeout, user: user,
                                             addressSpace: !bounds.hasCgroup && !instrumentation.threadSanitizer)
            + readable(binary: binary).map { SandboxSetting.read($0) } + [SandboxSetting.appendOnly(logs.path)]
            + bounds.procsFiles.map { SandboxSetting.cgroup($0) }
        let outcome = try ChildProcess.run(launcher.path, launcher.command(binary, settings: settings),
                                           environment: environment(in: dir, logs: logs, instrumentation: instrumentation),
                                           workingDirectory: dir.path, timeout: timeout, outputLimit: limits.outputBytes,
                                           beforeTimeoutKill: dump)
        // Processes that left the group (setsid) are still the user's; the folder goes only after them.
        // Most runs leave none, and looking costs far less than starting the launcher again to kill them.
        if let user, ProcessTable.hasLiveProcess(user: user) { SandboxUser.killAll(user, launcher: launcher) }
        if user == nil { ProcessGroups.shared.killOrphans() }
        seen.outOfMemory = bounds.hasCgroup ? bounds.ranOutOfMemory : nil
        if case .signaled(SIGXFSZ) = outcome.termination { seen.reachedFileLimit = Self.holdsFile(of: limits.fileBytes, in: dir) }
        read(logs, of: outcome.pid, entry: entry, binary: binary, instrumentation: instrumentation, into: &seen)
        return (outcome, seen)
    }

    /// What ThreadSanitizer and the timeline left in the logs folder, each read with a byte cap.
    private func read(_ logs: URL, of pid: pid_t, entry: RunEntry, binary: String, instrumentation: Instrumentation,
                      into seen: inout Observations) {
        if instrumentation.threadSanitizer {
            // The program's own report first (`<name>.<pid>`), so files it wrote there cannot crowd it out of the budget.
            let own = "\(Self.tsanLog).\(pid)"
            let paths = ((try? FileManager.default.contentsOfDirectory(atPath: logs.path)) ?? [])
                .filter { $0.hasPrefix(Self.tsanLog + ".") }.sorted { ($0 == own ? 0 : 1, $0) < ($1 == own ? 0 : 1, $1) }
                .map { logs.appendingPathComponent($0).path }
            let read = BoundedFile.read(paths, totalLimit: BoundedFile.raceLogsLimit)
            // A log that is there but not a plain file (a link, a FIFO) was put there by the program.
            if read.files.count < min(paths.count, BoundedFile.raceLogsMaxFiles) { seen.refusal = "ThreadSanitizer's report is not a plain file" }
            seen.races = RaceReport.parse(read.files.map(\.wholeLines).joined(separator: "\n"), pages: [entry.page], binary: binary,
                                          symbols: tools.symbols)
        }
        if instrumentation.timeline,
           let contents = try? BoundedFile.read(logs.appendingPathComponent(Self.timelineFile).path, limit: BoundedFile.timelineLimit) {
            seen.timeline = Timeline.parse(contents.wholeLines)
        }
    }

    /// Folders the program reads beyond the system's: its own, and the toolchain's (the Swift runtime,
    /// and llvm-symbolizer for ThreadSanitizer).
    private func readable(binary: String) -> [String] {
        [URL(fileURLWithPath: binary).deletingLastPathComponent().path] + (tools.toolchain.map { [$0] } ?? [])
    }

    /// In the logs folder: ThreadSanitizer's report (`<name>.<pid>`) and the spans of `timeline.swift`.
    private static let tsanLog = "notes-tsan", timelineFile = "notes-timeline.tsv"

    private func environment(in dir: URL, logs: URL, instrumentation: Instrumentation) -> [String: String] {
        var environment = Self.environment
        environment[SandboxVariable.lineBuffered.rawValue] = "1"
        environment["HOME"] = dir.path
        environment["TMPDIR"] = dir.path
        if instrumentation.threadSanitizer {
            // The report goes to a file, apart from the output; the program keeps its own exit status.
            let symbolizer = tools.symbols.symbolizer.map { ["external_symbolizer_path=\($0)"] } ?? []
            environment["TSAN_OPTIONS"] = (["log_path=\(logs.appendingPathComponent(Self.tsanLog).path)", "exitcode=0"] + symbolizer)
                .joined(separator: " ")
        }
        if instrumentation.timeline { environment["NOTES_TIMELINE"] = logs.appendingPathComponent(Self.timelineFile).path }
        return environment
    }

    /// The sandbox limit behind how the run ended, when one was: the kernel's signals for CPU time and
    /// file size, Swift's allocation failure, or a process group that filled the process limit.
    /// Each limit is named only on evidence the program cannot fake: its CPU time from wait4, a file at
    /// the size limit (`reachedFileLimit`), an OOM kill in the run's cgroup (`cgroupOutOfMemory`, nil
    /// without one: then an allocation failure shows as the crash it is, with the runtime's message).
    func limitReached(_ outcome: ProcessOutcome, timeout: Double, cgroupOutOfMemory: Bool? = nil,
                      reachedFileLimit: Bool = false) -> Termination? {
        if cgroupOutOfMemory == true { return .limit(.memoryBytes(limits.memoryBytes)) }
        // A group at (or, racing with exits, just under) the limit could start no more.
        if outcome.tasksAtEnd >= max(1, limits.processes - 2) { return .limit(.processes(limits.processes)) }
        guard case .signaled(let signal) = outcome.termination else { return nil }
        switch signal {
        case SIGXCPU:
            let limit = limits.cpuSeconds(timeout: timeout)
            return outcome.cpuSeconds >= Double(limit) - 1 ? .limit(.cpuSeconds(limit)) : nil
        case SIGXFSZ: return reachedFileLimit ? .limit(.fileBytes(limits.fileBytes)) : nil
        default: return nil
        }
    }

    /// Whether a regular file of at least `bytes` is in `folder`, looking at no more than 10,000 entries.
    static func holdsFile(of bytes: Int, in folder: URL) -> Bool {
        guard let walk = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.fileSizeKey, .isRegularFileKey])
        else { return false }
        for case let url as URL in walk.prefix(10_000) {
            let values = try? url.resourceValues(forKeys: [.fileSizeKey, .isRegularFileKey])
            if values?.isRegularFile == true, (values?.fileSize ?? 0) >= bytes { return true }
        }
        return false
    }

    /// Drops the runtime's stack dump (`Current stack trace:` and its numbered frames): it names
    /// addresses that change on every run. The trap message itself stays.
    static func clean(_ output: OutputLines) -> OutputLines {
        var kept: [OutputLines.Line] = []
        var inTrace = false
        for line in output.lines {
            if line.text.hasPrefix("Current stack trace:") {
                inTrace = true
                continue
            }
            if inTrace, let first = line.text.first, first.isNumber, line.text.contains(" 0x") { continue }
            inTrace = false
            kept.append(line)
        }
        return OutputLines(lines: kept)
    }
}
