import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A JUnit XML report as values: made from a run (`CIReport.junit`), read back from a file, and merged,
/// so that the reports of N `--shard` runs become the one report of the whole course.
public struct JUnitReport: Sendable, Equatable {
    public struct Suite: Sendable, Equatable {
        public var name: String
        public var cases: [Case]
    }

    public struct Case: Sendable, Equatable {
        /// The case of an error of a note's own (a broken fence, a dead link): parentheses, which no
        /// snippet id may hold, so a snippet with `id=note` is not taken for one.
        public static let noteError = "(note)"

        public enum Outcome: Sendable, Equatable {
            case passed, skipped
            case failed(message: String, details: String)
        }
        public var classname: String
        public var name: String
        public var file: String?
        public var line: Int?
        public var time: Double?
        public var outcome: Outcome
    }

    public var suites: [Suite]

    public var cases: [Case] { suites.flatMap(\.cases) }
    public var failures: Int { cases.filter { if case .failed = $0.outcome { true } else { false } }.count }
    public var skipped: Int { cases.filter { $0.outcome == .skipped }.count }

    /// One report from the reports of shards: each case is taken from the shard that ran it, and is
    /// skipped only if every shard skipped it. A case that two shards ran, or that only some reports
    /// have, means the reports are not shards of one run; that is an error.
    public static func merge(_ reports: [JUnitReport]) throws -> JUnitReport {
        guard var merged = reports.first else { return JUnitReport(suites: []) }
        for report in reports.dropFirst() {
            guard report.suites.map(\.name) == merged.suites.map(\.name),
                  zip(report.suites, merged.suites).allSatisfy({ $0.cases.map(\.name) == $1.cases.map(\.name) }) else {
                throw Diagnostic(file: "junit", "the reports list different snippets: they are not shards of one run")
            }
            for (s, suite) in report.suites.enumerated() {
                for (c, other) in suite.cases.enumerated() {
                    let mine = merged.suites[s].cases[c]
                    switch (mine.outcome, other.outcome) {
                    case (_, .skipped): continue
                    case (.skipped, _): merged.suites[s].cases[c] = other
                    default:
                        // Note errors (a broken fence, a dead link) are found by every shard alike.
                        if mine == other, mine.name == Case.noteError { continue }
                        throw Diagnostic(file: "junit", "'\(mine.name)' in \(suite.name) was run by two shards")
                    }
                }
            }
        }
        return merged
    }
}
