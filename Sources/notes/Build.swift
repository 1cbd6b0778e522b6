import ArgumentParser
import Foundation
import NotesCore

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
