import Foundation

/// Run stage: starts the examples binary once per entry (and per `repeat=`), each run in a fresh
/// temporary folder, with a reduced, fixed environment so output does not vary with the user's machine.
public struct SnippetRunner: Sendable {
    public var defaultTimeout: Int
    public var outputLimit: Int
    public var jobs: Int

    public static let defaultOutputLimit = 1 << 20

    public init(defaultTimeout: Int, outputLimit: Int = defaultOutputLimit, jobs: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.defaultTimeout = defaultTimeout
        self.outputLimit = outputLimit
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

    /// Runs one entry: its result per snippet (a session's output is split at the boundaries), per repeat.
    public func run(_ entry: RunEntry, binary: String) -> [[RunResult]] {
        (0..<entry.repeatCount).map { _ in runOnce(entry, binary: binary) }
    }

    private func runOnce(_ entry: RunEntry, binary: String) -> [RunResult] {
        let timeout = Double(entry.timeout(default: defaultTimeout))
        let outcome: ProcessOutcome
        do {
            let dir = try TemporaryFolders.make("notes-run")
            defer { TemporaryFolders.remove(dir) }
            var environment = Self.environment
            environment["HOME"] = dir.path
            environment["TMPDIR"] = dir.path
            // CPU time across all threads may exceed wall time on several cores; leave room for that.
            environment["NOTES_CPU_SECONDS"] = String(Int(timeout) * ProcessInfo.processInfo.activeProcessorCount + 5)
            outcome = try ChildProcess.run(binary, [entry.id], environment: environment, workingDirectory: dir.path,
                                           timeout: timeout, outputLimit: outputLimit)
        } catch {
            return entry.snippets.map { _ in RunResult(output: "\(error)", termination: .exited(127), duration: 0) }
        }
        let text = Self.clean(String(decoding: outcome.output, as: UTF8.self))
        var parts = text.components(separatedBy: ExamplesModule.marker + "\n")
        // The snippet running when the program ended owns its ending; a session that ended early
        // leaves its later snippets unreached, and they share that ending.
        let ending = parts.count - 1
        while parts.count < entry.snippets.count { parts.append("[not reached: the session ended in an earlier snippet]\n") }
        return parts.indices.map { index in
            var output = parts[index]
            if index == ending, let stop = outcome.termination.stopLine {
                if !output.isEmpty, !output.hasSuffix("\n") { output += "\n" }
                output += stop + "\n"
            }
            return RunResult(output: output, termination: index >= ending ? outcome.termination : .exited(0),
                             duration: outcome.duration)
        }
    }

    /// Drops the runtime's stack dump (`Current stack trace:` and its numbered frames): it names
    /// addresses that change on every run. The trap message itself stays.
    static func clean(_ text: String) -> String {
        var kept: [Substring] = []
        var inTrace = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("Current stack trace:") {
                inTrace = true
                continue
            }
            if inTrace, let first = line.first, first.isNumber, line.contains(" 0x") { continue }
            inTrace = false
            kept.append(line)
        }
        return kept.joined(separator: "\n")
    }
}
