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
            xml += "  <testsuite name=\"\(xmlText(file))\" tests=\"\(reports.count)\" failures=\"\(failures)\" skipped=\"\(reports.filter(\.skipped).count)\">\n"
            for report in reports {
                let time = report.runs.reduce(0) { $0 + $1.duration * Double($1.count) }
                xml += "    <testcase classname=\"\(xmlText(file))\" name=\"\(xmlText(report.snippet.id))\" file=\"\(xmlText(file))\" line=\"\(report.snippet.line)\" time=\"\(time)\">"
                if report.skipped {
                    xml += "<skipped/>"
                } else if case .failed(let reason) = report.verdict {
                    xml += "\n      <failure message=\"\(xmlText(reason))\">\(xmlText(report.diff ?? report.output))</failure>\n    "
                }
                xml += "</testcase>\n"
            }
            xml += "  </testsuite>\n"
        }
        for diagnostic in result.diagnostics where diagnostic.severity == .error {
            xml += "  <testsuite name=\"\(xmlText(diagnostic.file))\" tests=\"1\" failures=\"1\"><testcase name=\"note\"><failure message=\"\(xmlText(diagnostic.description))\"/></testcase></testsuite>\n"
        }
        return xml + "</testsuites>\n"
    }

    /// Escaped for XML 1.0, which has no way to write most control characters, even as references:
    /// those become their Unicode control pictures (U+0001 → ␁), so the report stays valid and readable.
    static func xmlText(_ text: String) -> String {
        let escaped = HTML.escape(text)
        guard escaped.unicodeScalars.contains(where: isDisallowed) else { return escaped }
        var out = String.UnicodeScalarView()
        for scalar in escaped.unicodeScalars {
            if !isDisallowed(scalar) {
                out.append(scalar)
            } else if scalar.value < 0x20 {
                out.append(Unicode.Scalar(0x2400 + scalar.value)!)
            } else {
                out.append("\u{FFFD}")
            }
        }
        return String(out)
    }

    private static func isDisallowed(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value < 0x20 && scalar != "\t" && scalar != "\n" && scalar != "\r") || scalar.value == 0xFFFE || scalar.value == 0xFFFF
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
