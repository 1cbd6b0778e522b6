import Foundation
import NotesCore

/// Everything the CLI prints: problems on stderr, one line each; progress and the summary on stdout.
enum Terminal {
    static func progress(_ line: String) {
        printError("notes: \(line)")
    }

    static let onGitHubActions = ProcessInfo.processInfo.environment["GITHUB_ACTIONS"] == "true"

    static func report(_ result: PipelineResult) {
        for diagnostic in result.diagnostics { problem(diagnostic) }
        for report in result.reports {
            for diagnostic in report.diagnostics { problem(diagnostic) }
            if let diff = report.diff { printError(diff) }
            if report.verdict == .unrecorded, !report.skipped {
                printError(Diagnostic(file: report.snippet.file, line: report.snippet.line, severity: .warning,
                                      "snippet '\(report.snippet.id)' has no recorded output block").description)
            }
        }
        printError("notes: \(result.timingSummary)")
        print(result.summary)
    }

    static func problem(_ diagnostic: Diagnostic) {
        printError(diagnostic.description)
        if onGitHubActions { print(CIReport.githubAnnotation(diagnostic)) }
    }

    static func printError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
