import ArgumentParser
import Foundation
import NotesCore

@main
struct Notes: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Literate lecture notes whose Swift code is known to work.",
        version: NotesVersion.current,
        subcommands: [Build.self, Verify.self, Serve.self, Init.self, Report.self]
    )

    static func main() async {
        Interruption.install()
        do {
            var command = try parseAsRoot()
            if var asynchronous = command as? AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}

/// Options shared by the commands that read a content folder.
struct ContentOptions: ParsableArguments {
    @Option(name: .long, help: "The folder of Markdown notes.")
    var content: String = "Content"

    @Option(name: .long, help: "How many programs compile and run at once (default: the number of cores).")
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

    @Flag(name: .long, help: "Build every snippet with ThreadSanitizer: a data race fails it unless it is expect=race.")
    var tsan = false

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
        options.tsan = tsan
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
