import Foundation

/// Reports for CI: JUnit XML for dashboards, and GitHub Actions workflow annotations.
public enum CIReport {
    public static func junit(_ result: PipelineResult) -> String {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        let byPage = Dictionary(grouping: result.reports, by: \.snippet.file)
        xml += "<testsuites name=\"notes\" tests=\"\(result.reports.count)\" failures=\"\(result.failed)\" skipped=\"\(result.skipped)\">\n"
        for file in byPage.keys.sorted() {
            let reports = byPage[file]!
            let failures = reports.filter { !$0.skipped && !$0.verdict.passed }.count
            xml += "  <testsuite name=\"\(HTML.escape(file))\" tests=\"\(reports.count)\" failures=\"\(failures)\" skipped=\"\(reports.filter(\.skipped).count)\">\n"
            for report in reports {
                let time = report.runs.reduce(0) { $0 + $1.duration }
                xml += "    <testcase classname=\"\(HTML.escape(file))\" name=\"\(HTML.escape(report.snippet.id))\" file=\"\(HTML.escape(file))\" line=\"\(report.snippet.line)\" time=\"\(time)\">"
                if report.skipped {
                    xml += "<skipped/>"
                } else if case .failed(let reason) = report.verdict {
                    xml += "\n      <failure message=\"\(HTML.escape(reason))\">\(HTML.escape(report.diff ?? report.output))</failure>\n    "
                }
                xml += "</testcase>\n"
            }
            xml += "  </testsuite>\n"
        }
        for diagnostic in result.diagnostics where diagnostic.severity == .error {
            xml += "  <testsuite name=\"\(HTML.escape(diagnostic.file))\" tests=\"1\" failures=\"1\"><testcase name=\"note\"><failure message=\"\(HTML.escape(diagnostic.description))\"/></testcase></testsuite>\n"
        }
        return xml + "</testsuites>\n"
    }

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
