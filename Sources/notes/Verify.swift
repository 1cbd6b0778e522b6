import ArgumentParser
import Foundation
import NotesCore

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compile, run and check every snippet against its recorded output; write no site.")

    @OptionGroup var content: ContentOptions

    @Flag(name: .long, help: "Write the real outputs back into the notes where they differ or are missing.")
    var accept = false

    @Option(name: .long, help: "Also write a JUnit XML report to this file.")
    var junit: String?

    func run() throws {
        let options = content.pipelineOptions(output: nil)
        let result = Pipeline.run(options)
        Terminal.report(result)
        if let junit {
            try Data(CIReport.junit(result).utf8).write(to: URL(fileURLWithPath: junit))
        }
        if accept {
            let (changes, problems) = OutputAcceptor.write(result.pages, reports: result.reports,
                                                           contentDirectory: options.contentDirectory)
            for problem in problems { Terminal.printError(problem.description) }
            for change in changes {
                print("accepted \(change.file): \(change.replaced) replaced, \(change.inserted) inserted")
            }
            if !result.succeeded(accepting: problems) { throw ExitCode.failure }
            return
        }
        if !result.succeeded { throw ExitCode.failure }
    }
}
