import Foundation
import Testing

/// What a snippet's program inherits from `notes serve`, which holds listening and client sockets, an
/// epoll and open files when a rebuild starts it: nothing but stdin, stdout and stderr.
@Suite("Serve: a snippet run by a rebuild", .serialized, .timeLimit(.minutes(3)))
struct ServeSnippetTests {
    static let lesson = """
    ---
    title: Descriptors
    ---
    # Descriptors

    ```swift run id=descriptors
    import Glibc
    print((0..<65536).filter { fcntl(Int32($0), F_GETFD) != -1 })
    ```

    """

    @Test func aProgramRunUnderServeHoldsOnlyDescriptorsZeroToTwo() async throws {
        let server = try await ServeTests.Server()
        defer { server.stop() }
        // A live-reload socket held open, so the server has a client connection when the rebuild runs.
        let port = server.port
        let page = try #require(await offThePool { ReloadClient(port: port) })
        #expect(await offThePool { page.nextGeneration(wait: 5) } == 0)
        try Data(Self.lesson.utf8).write(to: server.folder.path("Content/02-descriptors.md"), options: .atomic)
        #expect(await offThePool { page.nextGeneration(wait: 120) } == 1, "rebuilt: \(server.stderr)")
        let built = try await server.get("/02-descriptors.html")
        #expect(built.status == 200)
        #expect(built.body.contains("[0, 1, 2]\n"), "\(built.body)")
    }
}
