import Foundation

/// Run stage: starts an entry's program once (and once more per `repeat=`), each run in a fresh
/// temporary folder, with a reduced, fixed environment so output does not vary with the user's machine,
/// inside the sandbox that `notes_sandbox.c` sets up from `limits`.
public struct SnippetRunner: Sendable {
    public var defaultTimeout: Int
    public var limits: SandboxLimits
    public var jobs: Int

    public init(defaultTimeout: Int, limits: SandboxLimits = SandboxLimits(),
                jobs: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.defaultTimeout = defaultTimeout
        self.limits = limits
        self.jobs = max(1, jobs)
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
    public func run(_ entry: RunEntry, binary: String) -> [[RunResult]] {
        var distinct: [[RunResult]] = []
        for _ in 0..<entry.repeatCount {
            let run = runOnce(entry, binary: binary)
            if let index = distinct.firstIndex(where: { known in zip(known, run).allSatisfy { $0.sameRun(as: $1) } }) {
                for snippet in distinct[index].indices { distinct[index][snippet].count += 1 }
            } else {
                distinct.append(run)
            }
        }
        return distinct
    }

    private func runOnce(_ entry: RunEntry, binary: String) -> [RunResult] {
        let timeout = entry.timeout(default: defaultTimeout)
        var outcome: ProcessOutcome
        do {
            let dir = try TemporaryFolders.make("notes-run")
            defer { TemporaryFolders.remove(dir) }
            let user = SandboxUser.pick()
            if let user { try SandboxUser.give(dir, to: user) }
            var environment = Self.environment.merging(limits.environment(timeout: timeout, user: user)) { $1 }
            environment["HOME"] = dir.path
            environment["TMPDIR"] = dir.path
            outcome = try ChildProcess.run(binary, [], environment: environment, workingDirectory: dir.path,
                                           timeout: timeout, outputLimit: limits.outputBytes)
            // Processes that left the group (setsid) are still the user's; the folder goes only after them.
            // Most runs leave none, and looking costs far less than starting the binary again to kill them.
            if let user, ProcessTable.hasLiveProcess(user: user) { SandboxUser.killAll(user, binary: binary) }
        } catch {
            return entry.snippets.map { _ in RunResult(output: "\(error)", termination: .exited(127), duration: 0) }
        }
        outcome.termination = limitReached(outcome, timeout: timeout) ?? outcome.termination
        let captured = Self.clean(OutputLines(bytes: outcome.output, stderrRanges: outcome.stderrRanges))
        var parts = captured.split(atLinesEndingWith: ProgramSource.marker).map { ($0.text, $0.errorLines) }
        // The snippet running when the program ended owns its ending; a session that ended early
        // leaves its later snippets unreached, and they share that ending.
        let ending = parts.count - 1
        while parts.count < entry.snippets.count { parts.append(("[not reached: the session ended in an earlier snippet]\n", [])) }
        return parts.indices.map { index in
            var (output, errorLines) = parts[index]
            if index == ending, let stop = outcome.termination.stopLine {
                if !output.isEmpty, !output.hasSuffix("\n") { output += "\n" }
                output += stop + "\n"
            }
            return RunResult(output: output, stderrLines: errorLines,
                             termination: index >= ending ? outcome.termination : .exited(0), duration: outcome.duration)
        }
    }

    /// The sandbox limit behind how the run ended, when one was: the kernel's signals for CPU time and
    /// file size, Swift's allocation failure, or a process group that filled the process limit.
    func limitReached(_ outcome: ProcessOutcome, timeout: Double) -> Termination? {
        // A group at (or, racing with exits, just under) the limit could start no more.
        if outcome.tasksAtEnd >= max(1, limits.processes - 2) { return .limit(.processes(limits.processes)) }
        guard case .signaled(let signal) = outcome.termination else { return nil }
        switch signal {
        case SIGXCPU: return .limit(.cpuSeconds(limits.cpuSeconds(timeout: timeout)))
        case SIGXFSZ: return .limit(.fileBytes(limits.fileBytes))
        default:
            let text = String(decoding: outcome.output.suffix(4096), as: UTF8.self)
            let outOfMemory = ["failed to allocate", "Could not allocate memory", "std::bad_alloc"].contains { text.contains($0) }
            return outOfMemory ? .limit(.memoryBytes(limits.memoryBytes)) : nil
        }
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
