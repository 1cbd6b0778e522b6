import ArgumentParser
import Foundation
import NotesCore

@main
struct Notes: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Literate lecture notes whose Swift code is known to work.",
        subcommands: [Build.self, Verify.self, Serve.self, Init.self]
    )

    static func main() {
        Interruption.install()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            exit(withError: error)
        }
    }
}

/// Options shared by the commands that read a content folder.
struct ContentOptions: ParsableArguments {
    @Option(name: .long, help: "The folder of Markdown notes.")
    var content: String = "Content"

    @Option(name: .long, help: "How many snippets run at once (default: the number of cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: .long, help: "Only run snippets whose page path or id contains this text.")
    var filter: String?

    @Option(name: .long, help: "Run only shard K of N (K/N), for spreading checks over CI jobs.",
            transform: { text in
                guard let shard = Shard(text) else { throw ValidationError("--shard takes K/N with 1 ≤ K ≤ N, e.g. 2/4") }
                return shard
            })
    var shard: Shard?

    @Flag(name: .long, help: "Ignore the result cache: compile and run every snippet.")
    var noCache = false

    @Option(name: .long, help: "Where passing results are cached between runs.")
    var cacheDir: String = ".notes-cache"

    func pipelineOptions(output: String?) -> PipelineOptions {
        let display = content.hasSuffix("/") ? String(content.dropLast()) : content
        var options = PipelineOptions(contentDirectory: URL(fileURLWithPath: content), displayPrefix: display,
                                      output: output.map { URL(fileURLWithPath: $0) })
        options.outputDisplay = output ?? ""
        options.jobs = max(1, jobs)
        options.filter = filter
        options.shard = shard
        options.cache = noCache ? nil : ResultCache(directory: URL(fileURLWithPath: cacheDir))
        options.progress = { Terminal.progress($0) }
        return options
    }
}

/// Where `build` and `serve` write the site.
struct SiteOptions: ParsableArguments {
    @Option(name: .long, help: "Where the site is written. Replaced only if empty or made by notes.")
    var output: String = "Site"
}

struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compile and run every snippet, then write the site.")

    @OptionGroup var content: ContentOptions

    @OptionGroup var site: SiteOptions
    var output: String { site.output }

    func run() throws {
        let result = Pipeline.run(content.pipelineOptions(output: output))
        Terminal.report(result)
        if result.pagesWritten > 0 {
            print("wrote \(result.pagesWritten) pages to \(output)/ (search index \(result.searchIndexBytes / 1024) KiB)")
        }
        if !result.succeeded { throw ExitCode.failure }
    }
}

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
            // What was accepted now holds; what failed its expectation still fails.
            let stillFailing = result.reports.filter { !$0.verdict.passed && $0.diff == nil }.count
            if stillFailing > 0 || !problems.isEmpty || result.diagnostics.contains(where: { $0.severity == .error }) {
                throw ExitCode.failure
            }
            return
        }
        if !result.succeeded { throw ExitCode.failure }
    }
}

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create a starter course (config, index, one lesson with a verified snippet).")

    @Argument(help: "The folder to create.")
    var directory: String = "Content"

    func run() throws {
        do {
            try StarterCourse.write(to: URL(fileURLWithPath: directory))
        } catch let diagnostic as Diagnostic {
            Terminal.printError(diagnostic.description)
            throw ExitCode.failure
        }
        print("created a starter course in \(directory)/; build it with: notes build --content \(directory)")
    }
}
