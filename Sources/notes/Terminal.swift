import Foundation
import NotesCore
import Synchronization

/// Everything the CLI prints: problems, progress and timings on stderr, one line each; the summary on stdout.
enum Terminal {
    /// On a terminal, one live line per phase rewritten in place (`running 41/67 programs`);
    /// in a log, one plain line as each phase starts.
    static func progress(_ progress: BuildProgress) {
        liveLine.withLock { line in
            switch progress {
            case .note(let text):
                if line.isOpen { write("\n") }
                line.isOpen = false
                write("notes: \(text)\n")
            case .step(_, let done, let total, _):
                guard isTerminal else {
                    if done == 0 { write("notes: \(progress.text)\n") }
                    return
                }
                // Redrawn at most every 50 ms, but always at a phase's start and end.
                let now = ContinuousClock.now
                let finished = done == total
                guard done == 0 || finished || now - line.drawn > .milliseconds(50) else { return }
                line.drawn = now
                write("\r\u{1B}[K" + "notes: \(progress.text)" + (finished ? "\n" : ""))
                line.isOpen = !finished
            }
        }
    }

    private struct LiveLine {
        var isOpen = false
        var drawn = ContinuousClock.now
    }

    private static let liveLine = Mutex(LiveLine())
    private static let isTerminal = isatty(STDERR_FILENO) == 1

    static let onGitHubActions = ProcessInfo.processInfo.environment["GITHUB_ACTIONS"] == "true"

    static func report(_ result: PipelineResult) {
        for diagnostic in result.diagnostics { problem(diagnostic) }
        for report in result.reports {
            for diagnostic in report.diagnostics { problem(diagnostic) }
            if let diff = report.diff { printError(diff) }
            if let warning = report.unrecordedWarning { printError(warning.description) }
        }
        printError("notes: \(result.timingSummary); peak memory \(peakMemoryMiB) MiB")
        print(result.summary)
    }

    static func problem(_ diagnostic: Diagnostic) {
        printError(diagnostic.description)
        if onGitHubActions { print(CIReport.githubAnnotation(diagnostic)) }
    }

    static func printError(_ text: String) {
        write(visible(text) + "\n")
    }

    /// Text that came from a snippet (its output in a diff, its messages) as plain characters: control
    /// characters but tab and newline in caret notation, so no escape sequence reaches the terminal;
    /// and on GitHub Actions no `::` line that the runner would take as a command.
    static func visible(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x09, 0x0A: result.append(scalar)
            case 0x00..<0x20: result.append(contentsOf: "^\(Character(UnicodeScalar(scalar.value + 0x40)!))".unicodeScalars)
            case 0x7F, 0x80..<0xA0: result.append(contentsOf: "\\u{\(String(scalar.value, radix: 16))}".unicodeScalars)
            default: result.append(scalar)
            }
        }
        let plain = String(result)
        // The runner takes `::command::` wherever a line starts with it, after spaces: between a
        // stop-commands token (random, so the text cannot end it early) and its end, it takes none.
        guard onGitHubActions, plain.contains("::") else { return plain }
        let token = UUID().uuidString
        return "::stop-commands::\(token)\n\(plain)\n::\(token)::"
    }

    private static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// The most memory this process has held at once (the compiler and snippets are other processes).
    /// On Linux from VmHWM: `ru_maxrss` keeps the parent's peak across fork and exec, so a notes started
    /// by a large process (a test runner, an editor) reported that process's memory as its own.
    private static var peakMemoryMiB: Int {
        var usage = rusage()
        #if os(Linux)
        if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
           let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
           let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) {
            return kilobytes / 1024
        }
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss / 1024  // kilobytes
        #else
        getrusage(RUSAGE_SELF, &usage)
        return usage.ru_maxrss / (1024 * 1024)  // bytes
        #endif
    }
}
