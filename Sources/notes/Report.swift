import ArgumentParser
import Foundation
import NotesCore

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Work with the JUnit reports of `notes verify --junit`.",
        subcommands: [Merge.self])

    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Merge the reports of `--shard K/N` runs into one; fails when a snippet failed in any of them.")

        @Argument(help: "The shards' JUnit files.")
        var reports: [String]

        @Option(name: .shortAndLong, help: "Where to write the merged report.")
        var output: String

        func validate() throws {
            guard !reports.isEmpty else { throw ValidationError("give the shards' JUnit files to merge") }
        }

        func run() throws {
            do {
                let read = try reports.map { path in
                    guard let data = FileManager.default.contents(atPath: path) else {
                        throw Diagnostic(file: path, "cannot read the report")
                    }
                    return try JUnitReport(xml: data, file: path)
                }
                let merged = try JUnitReport.merge(read)
                try Data(merged.xml.utf8).write(to: URL(fileURLWithPath: output))
                let total = merged.cases.count
                print("\(total - merged.failures - merged.skipped) passed, \(merged.failures) failed"
                      + (merged.skipped > 0 ? ", \(merged.skipped) run by no shard" : ""))
                if merged.failures > 0 { throw ExitCode.failure }
            } catch let diagnostic as Diagnostic {
                Terminal.printError(diagnostic.description)
                throw ExitCode.failure
            }
        }
    }
}
