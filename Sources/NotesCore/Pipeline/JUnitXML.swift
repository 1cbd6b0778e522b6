import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

extension JUnitReport {
    /// The XML, as JUnit dashboards and GitHub's test reporters read it.
    public var xml: String {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites name=\"notes\" tests=\"\(cases.count)\" failures=\"\(failures)\" skipped=\"\(skipped)\">\n"
        for suite in suites {
            let failures = suite.cases.filter { if case .failed = $0.outcome { true } else { false } }.count
            let skipped = suite.cases.filter { $0.outcome == .skipped }.count
            xml += "  <testsuite name=\"\(Self.text(suite.name))\" tests=\"\(suite.cases.count)\" failures=\"\(failures)\" skipped=\"\(skipped)\">\n"
            for testCase in suite.cases {
                xml += "    <testcase classname=\"\(Self.text(testCase.classname))\" name=\"\(Self.text(testCase.name))\""
                if let file = testCase.file { xml += " file=\"\(Self.text(file))\"" }
                if let line = testCase.line { xml += " line=\"\(line)\"" }
                if let time = testCase.time { xml += " time=\"\(time)\"" }
                xml += ">"
                switch testCase.outcome {
                case .passed: break
                case .skipped: xml += "<skipped/>"
                case .failed(let message, let details):
                    xml += "\n      <failure message=\"\(Self.text(message))\">\(Self.text(details))</failure>\n    "
                }
                xml += "</testcase>\n"
            }
            xml += "  </testsuite>\n"
        }
        return xml + "</testsuites>\n"
    }

    /// Reads a report this writer wrote (any JUnit file with testsuite and testcase elements).
    public init(xml data: Data, file: String) throws {
        let reader = Reader()
        let parser = XMLParser(data: data)
        parser.delegate = reader
        // FoundationXML on Linux can report success for a document cut off mid-element: count them closed.
        guard parser.parse(), reader.elementsClosed, reader.sawTestSuites else {
            throw Diagnostic(file: file, "not a JUnit XML report: \(parser.parserError.map { "\($0.localizedDescription)" } ?? "incomplete")")
        }
        self.init(suites: reader.suites)
    }

    /// Escaped for XML 1.0, which has no way to write most control characters, even as references:
    /// those become their Unicode control pictures (U+0001 → ␁), so the report stays valid and readable.
    static func text(_ text: String) -> String {
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

    /// Builds suites and cases from the parser's events.
    private final class Reader: NSObject, XMLParserDelegate {
        var suites: [Suite] = []
        private var failureText: String?
        private var depth = 0
        private(set) var sawTestSuites = false
        var elementsClosed: Bool { depth == 0 }

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            depth += 1
            switch name {
            case "testsuites": sawTestSuites = true
            case "testsuite":
                sawTestSuites = true
                suites.append(Suite(name: attributes["name"] ?? "", cases: []))
            case "testcase" where !suites.isEmpty:
                suites[suites.count - 1].cases.append(Case(
                    classname: attributes["classname"] ?? "", name: attributes["name"] ?? "", file: attributes["file"],
                    line: attributes["line"].flatMap { Int($0) }, time: attributes["time"].flatMap { Double($0) }, outcome: .passed))
            case "skipped": setOutcome(.skipped)
            case "failure", "error":
                setOutcome(.failed(message: attributes["message"] ?? "", details: ""))
                failureText = ""
            default: break
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { failureText? += string }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            depth -= 1
            guard name == "failure" || name == "error", let details = failureText,
                  case .failed(let message, _)? = suites.last?.cases.last?.outcome else { return }
            setOutcome(.failed(message: message, details: details))
            failureText = nil
        }

        private func setOutcome(_ outcome: Case.Outcome) {
            guard !suites.isEmpty, !suites[suites.count - 1].cases.isEmpty else { return }
            let last = suites[suites.count - 1].cases.count - 1
            suites[suites.count - 1].cases[last].outcome = outcome
        }
    }
}
