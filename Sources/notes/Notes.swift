import ArgumentParser
import Foundation
import NotesCore

@main
struct Notes: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Literate lecture notes whose Swift code is known to work.",
        subcommands: [Build.self, Verify.self]
    )
}

/// Options shared by the commands that read a content folder.
struct ContentOptions: ParsableArguments {
    @Option(name: .long, help: "The folder of Markdown notes.")
    var content: String = "Content"

    @Option(name: .long, help: "How many snippets run at once (default: the number of cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: .long, help: "Only run snippets whose page path or id contains this text.")
    var filter: String?

    func pipelineOptions(output: String?) -> PipelineOptions {
        let display = content.hasSuffix("/") ? String(content.dropLast()) : content
        var options = PipelineOptions(contentDirectory: URL(fileURLWithPath: content), displayPrefix: display,
                                      output: output.map { URL(fileURLWithPath: $0) })
        options.outputDisplay = output ?? ""
        options.jobs = max(1, jobs)
        options.filter = filter
        options.progress = { Terminal.progress($0) }
        return options
    }
}

struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compile and run every snippet, then write the site.")

    @OptionGroup var content: ContentOptions

    @Option(name: .long, help: "Where the site is written. Replaced only if empty or made by notes.")
    var output: String = "Site"

    func run() throws {
        let result = Pipeline.run(content.pipelineOptions(output: output))
        Terminal.report(result)
        if result.pagesWritten > 0 { print("wrote \(result.pagesWritten) pages to \(output)/") }
        if !result.succeeded { throw ExitCode.failure }
    }
}

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compile, run and check every snippet against its recorded output; write no site.")

    @OptionGroup var content: ContentOptions

    func run() throws {
        let result = Pipeline.run(content.pipelineOptions(output: nil))
        Terminal.report(result)
        if !result.succeeded { throw ExitCode.failure }
    }
}
