import Foundation

/// Reports for CI: JUnit XML for dashboards, and GitHub Actions workflow annotations.
public enum CIReport {
    public static func junit(_ result: PipelineResult) -> String { JUnitReport(result).xml }

    /// `::error file=…,line=…::message`, escaped as the Actions toolkit does.
    public static func githubAnnotation(_ diagnostic: Diagnostic) -> String {
        func escapeData(_ s: String) -> String {
            s.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D")
                .replacingOccurrences(of: "\n", with: "%0A")
        }
        func escapeProperty(_ s: String) -> String {
            escapeData(s).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
        }
        var properties = "file=\(escapeProperty(diagnostic.file))"
        if let line = diagnostic.line { properties += ",line=\(line)" }
        return "::\(diagnostic.severity == .note ? "notice" : diagnostic.severity.rawValue) \(properties)::\(escapeData(diagnostic.message))"
    }
}

extension JUnitReport {
    /// A run's report: a suite per note, a case per snippet (skipped when `--filter` or `--shard` left it
    /// out), and a suite per note that has an error of its own.
    public init(_ result: PipelineResult) {
        let byPage = Dictionary(grouping: result.reports, by: \.snippet.file)
        suites = byPage.keys.sorted().map { file in
            Suite(name: file, cases: byPage[file]!.map { report in
                var outcome = Case.Outcome.passed
                if report.skipped {
                    outcome = .skipped
                } else if case .failed(let reason) = report.verdict {
                    outcome = .failed(message: reason, details: report.diff ?? report.output)
                }
                return Case(classname: file, name: report.snippet.id, file: file, line: report.snippet.line,
                            time: report.runs.reduce(0) { $0 + $1.duration * Double($1.count) }, outcome: outcome)
            })
        }
        for diagnostic in result.diagnostics where diagnostic.severity == .error {
            suites.append(Suite(name: diagnostic.file, cases: [Case(classname: diagnostic.file, name: Case.noteError, outcome:
                .failed(message: diagnostic.description, details: ""))]))
        }
    }
}
