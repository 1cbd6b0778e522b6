import Foundation
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Tells the clients of a test to stop.
final class DoneFlag: Sendable {
    let value = Atomic<Bool>(false)
}

/// `notes serve` as a child process, spoken to over real sockets: live reload, content types, and hostile requests.
@Suite("Serve: the preview server", .serialized, .timeLimit(.minutes(3)))
struct ServeTests {
    static let lesson = """
    ---
    title: Threads
    ---
    # Threads

    A thread runs code beside other code.

    """

    /// A running `notes serve` on a free port, over a course without snippets (so it builds in a moment).
    final class Server: @unchecked Sendable {
        let folder: TemporaryFolder
        let process = Process()
        let port: Int
        /// Where it listens, as it printed it: 127.0.0.1 unless told `--host`.
        let address: String
        private let stderrPath: URL

        /// `descriptorLimit` sets the process's limit on open descriptors, soft and hard (`ulimit -n`).
        init(extraArguments: [String] = [], descriptorLimit: Int? = nil) async throws {
            folder = try TemporaryFolder("notes-serve")
            try folder.write("Content/index.md", "---\ntitle: Home\n---\n# Home\n\nSee [threads](01-threads.md).\n")
            try folder.write("Content/01-threads.md", ServeTests.lesson)
            try folder.write("secret.txt", "top secret")
            let arguments = ["serve", "--port", "0", "--content", folder.path("Content").path,
                             "--output", folder.path("Site").path, "--cache-dir", folder.path("cache").path] + extraArguments
            if let descriptorLimit {
                process.executableURL = URL(fileURLWithPath: "/bin/sh")
                process.arguments = ["-c", "ulimit -n \(descriptorLimit) && exec \"$0\" \"$@\"", try notesExecutable().path] + arguments
            } else {
                process.executableURL = try notesExecutable()
                process.arguments = arguments
            }
            process.currentDirectoryURL = folder.url
            let stdout = Pipe()
            stderrPath = folder.path("stderr.txt")
            _ = FileManager.default.createFile(atPath: stderrPath.path, contents: nil)
            process.standardOutput = stdout
            process.standardError = try FileHandle(forWritingTo: stderrPath)
            process.standardInput = FileHandle.nullDevice
            try process.run()
            let reader = stdout.fileHandleForReading
            // The build's summary comes first; the URL line follows once the server listens.
            let prefix = "serving http://"
            let printed = await offThePool { () -> String in
                var text = ""
                while !text.split(separator: "\n").contains(where: { $0.hasPrefix(prefix) }) || !text.hasSuffix("\n") {
                    let chunk = reader.availableData
                    if chunk.isEmpty { break }
                    text += String(decoding: chunk, as: UTF8.self)
                }
                return text
            }
            let line = printed.split(separator: "\n").first { $0.hasPrefix(prefix) } ?? ""
            guard let port = line.split(separator: ":").last.flatMap({ Int($0.prefix { $0.isNumber }) }) else {
                process.terminate()
                throw TestFailure("notes serve printed \(printed.debugDescription); stderr: \(try folder.read("stderr.txt"))")
            }
            self.port = port
            address = String(line.dropFirst(prefix.count).prefix { $0 != "/" }.dropLast(":\(port)".count))
        }

        var stderr: String { (try? folder.read("stderr.txt")) ?? "" }

        /// The `Host` a browser sends it; any other is refused (421), see `HostAndOriginTests`.
        var host: String { "\(address):\(port)" }

        func stop() {
            if process.isRunning {
                process.terminate()
                process.waitUntilExit()
            }
            folder.remove()
        }

        /// A request as a browser sends it, through URLSession.
        func get(_ path: String) async throws -> (status: Int, type: String, body: String) {
            let url = try #require(URL(string: "http://127.0.0.1:\(port)\(path)"))
            var request = URLRequest(url: url)
            request.timeoutInterval = 30
            let (data, response) = try await URLSession.shared.data(for: request)
            let http = try #require(response as? HTTPURLResponse)
            return (http.statusCode, http.value(forHTTPHeaderField: "Content-Type") ?? "", String(decoding: data, as: UTF8.self))
        }

        /// Bytes sent as they are (URLSession would clean up the path), and whatever comes back until the
        /// server closes the connection or `wait` seconds pass.
        func raw(_ request: [UInt8], wait: Double = 3) async -> String {
            let (port, address) = (port, address)
            return await offThePool { TCPClient.exchange(request, port: port, address: address, wait: wait) }
        }

        func raw(_ request: String, wait: Double = 3) async -> String { await raw(Array(request.utf8), wait: wait) }

        /// Waits as a served page does, on the live-reload WebSocket, until the site's generation
        /// (its count of rebuilds) reaches `generation`; returns the one it heard.
        func generation(reaching generation: Int, wait: Double = 60) async -> Int? {
            let port = port
            return await offThePool {
                guard let page = ReloadClient(port: port) else { return nil }
                while let now = page.nextGeneration(wait: wait) {
                    if now >= generation { return now }
                }
                return nil
            }
        }
    }

    struct TestFailure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    @Test func servesPagesWithContentTypesAnd404s() async throws {
        let server = try await Server()
        defer { server.stop() }
        let page = try await server.get("/01-threads.html")
        #expect(page.status == 200)
        #expect(page.type == "text/html; charset=utf-8")
        #expect(page.body.contains("A thread runs code beside other code."))
        #expect(page.body.contains("new WebSocket("), "served pages carry the live-reload script")
        let css = try await server.get("/theme.css")
        #expect(css.status == 200 && css.type == "text/css; charset=utf-8")
        let js = try await server.get("/notes.js")
        #expect(js.status == 200 && js.type == "text/javascript; charset=utf-8")
        let home = try await server.get("/")
        #expect(home.status == 200 && home.body.contains("Home"))
        let missing = try await server.get("/nothing-here.html")
        #expect(missing.status == 404 && missing.type == "text/html; charset=utf-8")
        #expect(missing.body.contains("404: /nothing-here.html is not part of this site."))
        #expect(missing.body.contains("new WebSocket("), "a tab left on a missing page reloads when the site changes")
        let hostile = await server.raw("GET /<script>alert(1)</script> HTTP/1.1\r\nHost: \(server.host)\r\nConnection: close\r\n\r\n")
        #expect(hostile.hasPrefix("HTTP/1.1 404") && hostile.contains("/&lt;script&gt;alert(1)&lt;/script&gt;"), "\(hostile.prefix(300))")
        #expect(!hostile.contains("<script>alert"))
        let onDisk = try server.folder.read("Site/01-threads.html")
        #expect(!onDisk.contains("__notes/reload"), "the script is added when serving, never written into the site")
    }

    @Test func liveReloadRebuildsAndTellsTheOpenPage() async throws {
        let server = try await Server()
        defer { server.stop() }
        let pid = server.process.processIdentifier
        // The page's WebSocket, as the injected script opens it, open before the edit.
        let port = server.port
        let page = try #require(await offThePool { ReloadClient(port: port) })
        #expect(await offThePool { page.nextGeneration(wait: 5) } == 0, "told the generation at once")
        // Saved the way editors save: a new file renamed over the old one, so no build can see it half-written.
        try Data(Self.lesson.replacingOccurrences(of: "beside other code", with: "next to other threads").utf8)
            .write(to: server.folder.path("Content/01-threads.md"), options: .atomic)
        #expect(await offThePool { page.nextGeneration(wait: 60) } == 1, "told the new generation")
        let rebuilt = try await server.get("/01-threads.html")
        #expect(rebuilt.body.contains("next to other threads"))
        #expect(!rebuilt.body.contains("beside other code"))
        #expect(server.process.isRunning && server.process.processIdentifier == pid, "no restart")
        #expect(server.stderr.contains("changed; rebuilding"))
    }

    /// Files carry an ETag, and a browser that sends it back gets a 304 and no body; a page's tag changes
    /// with each rebuild, since its live-reload script does. Files other than pages are streamed whole.
    @Test func eTagsAnswerRevalidationWithNotModified() async throws {
        let server = try await Server()
        defer { server.stop() }
        func eTag(_ response: String) -> String? {
            response.split(separator: "\r\n").first { $0.lowercased().hasPrefix("etag:") }
                .map { String($0.dropFirst(5)).trimmingCharacters(in: .whitespaces) }
        }
        let request = "GET /theme.css HTTP/1.1\r\nHost: \(server.host)\r\nConnection: close\r\n"
        let first = await server.raw(request + "\r\n")
        #expect(first.hasPrefix("HTTP/1.1 200"))
        let tag = try #require(eTag(first), "\(first.prefix(400))")
        #expect(first.hasSuffix(try server.folder.read("Site/theme.css")), "the streamed body is the file")
        let again = await server.raw(request + "If-None-Match: \(tag)\r\n\r\n")
        #expect(again.hasPrefix("HTTP/1.1 304"), "\(again.prefix(200))")
        #expect(!again.contains("--"), "no body with a 304 (theme.css is full of `--` custom properties)")
        let stale = await server.raw(request + "If-None-Match: \"other\"\r\n\r\n")
        #expect(stale.hasPrefix("HTTP/1.1 200"))

        let page = "GET /01-threads.html HTTP/1.1\r\nHost: \(server.host)\r\nConnection: close\r\n\r\n"
        let before = try #require(eTag(await server.raw(page)))
        try Data(Self.lesson.replacingOccurrences(of: "beside other code", with: "beside code").utf8)
            .write(to: server.folder.path("Content/01-threads.md"), options: .atomic)
        _ = await server.generation(reaching: 1)
        #expect(try #require(eTag(await server.raw(page))) != before)
    }

    /// The new site takes the old one's name in one step (renameat2 with RENAME_EXCHANGE), so a page asked
    /// for while rebuilds replace the site is always there, old or new: never a 404. Four clients ask
    /// without pause through ten rebuilds.
    @Test func requestsDuringRebuildsNeverGetA404() async throws {
        let server = try await Server()
        defer { server.stop() }
        let done = DoneFlag()
        let clients = (0..<4).map { _ in
            Task { () -> [Int] in
                var statuses: [Int] = []
                while !done.value.load(ordering: .relaxed) {
                    statuses.append((try? await server.get("/01-threads.html").status) ?? -1)
                }
                return statuses
            }
        }
        for generation in 1...10 {
            try Data(Self.lesson.replacingOccurrences(of: "beside other code", with: "beside code \(generation)").utf8)
                .write(to: server.folder.path("Content/01-threads.md"), options: .atomic)
            #expect(await server.generation(reaching: generation) == generation)
        }
        done.value.store(true, ordering: .relaxed)
        var statuses: [Int] = []
        for client in clients { statuses += await client.value }
        #expect(statuses.count > 40, "the clients asked during the rebuilds")
        #expect(statuses.allSatisfy { $0 == 200 }, "\(Dictionary(grouping: statuses, by: { $0 }).mapValues(\.count))")
        #expect(try await server.get("/01-threads.html").body.contains("beside code 10"))
    }

    @Test func traversalNeverReachesFilesOutsideTheSite() async throws {
        let server = try await Server()
        defer { server.stop() }
        try FileManager.default.createSymbolicLink(atPath: server.folder.path("Site/leak.txt").path,
                                                   withDestinationPath: server.folder.path("secret.txt").path)
        let attempts = [
            "/../secret.txt", "/%2e%2e/secret.txt", "/%2e%2e%2fsecret.txt", "/..%2f..%2f..%2fetc%2fpasswd",
            "/%252e%252e/secret.txt", "/leak.txt", "//etc/passwd", "/../../../../etc/passwd",
            "http://127.0.0.1/../secret.txt", "/Site/../secret.txt", "/.notes-site",
        ]
        for target in attempts {
            let response = await server.raw("GET \(target) HTTP/1.1\r\nHost: \(server.host)\r\nConnection: close\r\n\r\n")
            let status = response.split(separator: " ").dropFirst().first.map(String.init) ?? "closed"
            #expect(!response.contains("top secret") && !response.contains("root:"), "\(target) leaked: \(response)")
            #expect(status == "closed" || status.hasPrefix("4"), "\(target) answered \(status)")
        }
        let still = try await server.get("/01-threads.html")
        #expect(still.status == 200)
    }

    @Test func malformedLongAndSlowRequestsAreRefused() async throws {
        let server = try await Server()
        defer { server.stop() }
        func status(_ response: String) -> String {
            response.split(separator: " ").dropFirst().first.map(String.init) ?? "closed"
        }
        let garbage = await server.raw("THIS IS NOT HTTP\r\n\r\n")
        #expect(["closed", "400"].contains(status(garbage)), "garbage got \(garbage)")
        let binary = await server.raw([0, 1, 2, 255, 254, 13, 10, 13, 10])
        #expect(["closed", "400"].contains(status(binary)))
        let longURL = await server.raw("GET /\(String(repeating: "a", count: 200_000)) HTTP/1.1\r\nHost: \(server.host)\r\n\r\n")
        #expect(status(longURL) == "closed" || status(longURL).hasPrefix("4"), "a 200 KB URL got \(status(longURL))")
        let hugeHeader = await server.raw("GET / HTTP/1.1\r\nHost: \(server.host)\r\nX-Big: \(String(repeating: "b", count: 200_000))\r\n\r\n")
        #expect(status(hugeHeader) == "closed" || status(hugeHeader).hasPrefix("4"))
        let post = await server.raw("POST /index.html HTTP/1.1\r\nHost: \(server.host)\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi")
        #expect(status(post) == "405")

        // A client that starts a request and stalls: others are served meanwhile, and it is cut off.
        let started = Date()
        async let slow = server.raw("GET /index.html HTTP/1.1\r\nHost: \(server.host)\r\n", wait: 30)
        try await Task.sleep(for: .milliseconds(200))
        let meanwhile = try await server.get("/01-threads.html")
        #expect(meanwhile.status == 200)
        let stalled = await slow
        #expect(stalled.isEmpty, "the stalled request gets no page: \(stalled)")
        #expect(Date().timeIntervalSince(started) < 25, "the server closed the stalled connection")
        #expect(server.process.isRunning)
    }

    @Test func pipelinedRequestsAndUnreadBodiesKeepTheirAnswers() async throws {
        let server = try await Server()
        defer { server.stop() }
        // Two requests in one send: two answers, in order, on one connection.
        let two = await server.raw("GET /index.html HTTP/1.1\r\nHost: \(server.host)\r\n\r\n"
                                   + "HEAD /01-threads.html HTTP/1.1\r\nHost: \(server.host)\r\nConnection: close\r\n\r\n")
        let statuses = two.components(separatedBy: "HTTP/1.1 ").dropFirst().map { $0.prefix(3) }
        #expect(statuses == ["200", "200"], "\(two.prefix(600))")
        #expect(two.contains("Connection: close") && !two.contains("beside other code"), "HEAD sends no body")
        // A body is never read: its request is answered, and the body is not taken for a next request.
        let body = String(repeating: "x", count: 500_000)
        let post = await server.raw("POST /index.html HTTP/1.1\r\nHost: \(server.host)\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
        #expect(post.hasPrefix("HTTP/1.1 405 "), "\(post.prefix(200))")
        #expect(post.hasSuffix("only GET and HEAD are served\n"))
    }

    @Test func anotherHostNeedsTheFlagAndWarns() async throws {
        let server = try await Server(extraArguments: ["--host", "127.0.0.1"])
        defer { server.stop() }
        #expect(!server.stderr.contains("warning"))
        // Binding every interface is allowed only when asked for, and then it says so.
        let open = try await Server(extraArguments: ["--host", "0.0.0.0"])
        defer { open.stop() }
        #expect(open.stderr.contains("warning: listening on 0.0.0.0"), "stderr: \(open.stderr)")
    }
}

extension ServeTests {
    @Test func aBusyPortIsOneClearError() async throws {
        let first = try await Server()
        defer { first.stop() }
        let second = try await Compiling.CLITests.runNotes(
            ["serve", "--port", String(first.port), "--content", first.folder.path("Content").path,
             "--output", first.folder.path("Site2").path], in: first.folder)
        #expect(second.status == 1)
        #expect(second.stderr.contains("notes: error: cannot listen on 127.0.0.1:\(first.port): the port is in use"),
                "stderr: \(second.stderr)")
    }
}
