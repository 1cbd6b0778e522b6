import ArgumentParser
import Foundation
import NotesCore
import NotesServer

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build, serve the site on 127.0.0.1, and rebuild and reload open pages when a note changes.")

    @OptionGroup var content: ContentOptions

    @OptionGroup var site: SiteOptions
    var output: String { site.output }

    @Option(name: .long, help: "The port to listen on; 0 picks a free one.")
    var port: Int = 8000

    @Option(name: .long, help: "The address to listen on. Anything but loopback exposes the site to the network.")
    var host: String = "127.0.0.1"

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port takes 0 to 65535 (0 picks a free port)") }
        guard PreviewServer.accepts(host: host) else {
            throw ValidationError("--host takes an IP address, such as 127.0.0.1, ::1 or 0.0.0.0, or localhost")
        }
    }

    func run() async throws {
        let options = content.pipelineOptions(output: output)
        // Made before the first build, so an edit saved while it runs is not missed.
        let watcher = ContentWatcher(folder: options.contentDirectory)
        let firstProblems = await Self.build(options)

        let server = PreviewServer(site: URL(fileURLWithPath: output), host: host, port: port)
        if !firstProblems.isEmpty { server.liveReload.buildFailed(firstProblems) }
        if !server.isLoopback {
            Terminal.printError("notes: warning: listening on \(host): other machines that can reach it can read the site")
        }
        let rebuilder = Rebuilder(watcher: watcher, liveReload: server.liveReload) { [content] in
            Terminal.printError("notes: \(content.content) changed; rebuilding")
            return await Self.build(options)
        }
        let shownHost = host.contains(":") ? "[\(host)]" : host
        do {
            try await server.run(alongside: rebuilder) { bound in
                print("serving http://\(shownHost):\(bound)/")
                fflush(nil)  // all streams: Swift 6 rejects the C global `stdout`
            }
        } catch {
            let inUse = "\(error)".contains("Address already in use")
            Terminal.printError("notes: error: cannot listen on \(host):\(port): "
                                + (inUse ? "the port is in use; pick another with --port, or --port 0 for any free one" : "\(error)"))
            throw ExitCode.failure
        }
    }

    /// Problems are printed and the preview goes on: the page shows what failed, and the next save may fix it.
    /// Returns why no site was written, if none was. The pipeline blocks while it compiles and runs, so it
    /// gets a thread of its own, not one of the pool's.
    private static func build(_ options: PipelineOptions) async -> [String] {
        await withCheckedContinuation { (done: CheckedContinuation<[String], Never>) in
            Thread {
                let result = Pipeline.run(options)
                Terminal.report(result)
                fflush(nil)
                let errors = result.diagnostics.filter { $0.severity == .error }.map(\.description)
                done.resume(returning: result.pagesWritten > 0 ? [] : errors)
            }.start()
        }
    }
}
