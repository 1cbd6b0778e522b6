import Foundation
import Testing
@testable import NotesServer

/// The live-reload WebSocket, frame by frame (RFC 6455), and over a real `notes serve`.
@Suite("Serve: live reload's WebSocket")
struct WebSocketFrameTests {
    /// A client frame, masked as RFC 6455 requires of clients.
    static func masked(_ opcode: UInt8, _ payload: [UInt8], mask: [UInt8] = [1, 2, 3, 4]) -> [UInt8] {
        let length: [UInt8] = payload.count < 126 ? [0x80 | UInt8(payload.count)]
            : [0x80 | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        return [0x80 | opcode] + length + mask + payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
    }

    @Test func theAcceptValueIsTheRFCsOwn() {
        // RFC 6455, section 1.3.
        #expect(WebSocket.accept("dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    }

    @Test func clientFramesAreUnmaskedWholeOrWaitedFor() throws {
        let hello = Array("hello".utf8)
        let bytes = Self.masked(0x1, hello) + Self.masked(0xA, [])
        #expect(try WebSocket.parse(bytes) == .frame(.init(opcode: .text, payload: hello), used: 11))
        #expect(try WebSocket.parse(Array(bytes[11...])) == .frame(.init(opcode: .pong, payload: []), used: 6))
        for cut in 0..<11 { #expect(try WebSocket.parse(Array(bytes[..<cut])) == .needMore, "cut at \(cut)") }
        // A 16-bit length.
        let long = [UInt8](repeating: 7, count: 300)
        #expect(try WebSocket.parse(Self.masked(0x2, long)) == .frame(.init(opcode: .binary, payload: long), used: 308))
    }

    @Test func unmaskedLongAndUnknownFramesAreRefused() throws {
        #expect(throws: WebSocket.Problem.unmasked) { try WebSocket.parse([0x81, 0x01, 0x41]) }
        #expect(throws: WebSocket.Problem.tooLong) {
            try WebSocket.parse(Self.masked(0x1, [UInt8](repeating: 0, count: WebSocket.maximumPayload + 1)))
        }
        #expect(throws: WebSocket.Problem.tooLong) { try WebSocket.parse([0x81, 0x80 | 127] + [UInt8](repeating: 0, count: 12)) }
        // A ping longer than a control frame may be: its pong could not be sent.
        #expect(throws: WebSocket.Problem.tooLong) { try WebSocket.parse(Self.masked(0x9, [UInt8](repeating: 1, count: 126))) }
        #expect(try WebSocket.parse(Self.masked(0x9, [UInt8](repeating: 1, count: 125))) != .needMore)
        #expect(throws: WebSocket.Problem.unknownOpcode) { try WebSocket.parse([0x83, 0x80, 0, 0, 0, 0]) }
        #expect(throws: WebSocket.Problem.reservedBits) { try WebSocket.parse([0xC1, 0x80, 0, 0, 0, 0]) }
        #expect(throws: WebSocket.Problem.fragmentedControl) { try WebSocket.parse([0x09, 0x80, 0, 0, 0, 0]) }
        #expect(try WebSocket.parse([0x01, 0x80, 0, 0, 0, 0]) == .frame(.init(opcode: .text, payload: []), used: 6),
                "a first fragment of text: read, and ignored like any text")
    }

    /// Whatever bytes a client sends, parsing neither traps nor claims more bytes than there are, and a
    /// frame it returns, masked again, is the bytes it came from (but for the FIN bit of a data frame).
    @Test func anyBytesParseSafely() {
        var random = RequestHeadDifferentialTests.Generator(state: 6455)
        var frames = 0
        for _ in 0..<20_000 {
            let count = Int.random(in: 0...40, using: &random)
            var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) }
            if !bytes.isEmpty, Bool.random(using: &random) { bytes[0] = 0x80 | [0x1, 0x2, 0x8, 0x9, 0xA].randomElement(using: &random)! }
            if bytes.count > 1, Bool.random(using: &random) { bytes[1] = 0x80 | UInt8.random(in: 0...30, using: &random) }
            guard case .frame(let frame, let used)? = try? WebSocket.parse(bytes) else { continue }
            frames += 1
            #expect(used <= bytes.count && bytes[0] & 0x70 == 0)
            #expect(frame.opcode.rawValue == bytes[0] & 0x0F && (bytes[0] & 0x80 != 0 || frame.opcode.rawValue < 0x8))
            let again = Self.masked(bytes[0] & 0x0F, frame.payload, mask: Array(bytes[2..<6]))
            #expect(again.dropFirst() == bytes[1..<used])
        }
        #expect(frames > 1000, "only \(frames) of the buffers held a whole frame")
    }

    @Test func serverFramesAreUnmaskedWithA7Or16BitLength() {
        #expect(WebSocket.frame(.text, Array("12".utf8)) == Data([0x81, 0x02, 0x31, 0x32]))
        #expect(WebSocket.frame(.ping) == Data([0x89, 0x00]))
        let long = [UInt8](repeating: 0x41, count: 300)
        #expect(WebSocket.frame(.text, long) == Data([0x81, 126, 0x01, 0x2C] + long))
    }
}

extension ServeTests {
    @Test func theReloadHandshakeIsChecked() async throws {
        let server = try await Server()
        defer { server.stop() }
        let port = server.port
        let good = try #require(await offThePool { ReloadClient(port: port) })
        #expect(good.status == 101, "\(good.head)")
        #expect(good.header("Sec-WebSocket-Accept") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
        #expect(good.header("Upgrade")?.lowercased() == "websocket" && good.header("Content-Length") == nil)

        let plain = try #require(await offThePool { ReloadClient(port: port, headers: "") })
        #expect(plain.status == 400, "a plain GET of the reload path: \(plain.head)")
        let oldVersion = try #require(await offThePool {
            ReloadClient(port: port, headers: "Upgrade: websocket\r\nConnection: keep-alive, Upgrade\r\n"
                         + "Sec-WebSocket-Key: \(ReloadClient.exampleKey)\r\nSec-WebSocket-Version: 8\r\n")
        })
        #expect(oldVersion.status == 426 && oldVersion.header("Sec-WebSocket-Version") == "13", "\(oldVersion.head)")
        let badKey = try #require(await offThePool {
            ReloadClient(port: port, headers: "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                         + "Sec-WebSocket-Key: short\r\nSec-WebSocket-Version: 13\r\n")
        })
        #expect(badKey.status == 400)

        // A page of the site itself may connect; another site's page (which a browser lets try) may not.
        let handshake = "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: \(ReloadClient.exampleKey)\r\n"
            + "Sec-WebSocket-Version: 13\r\n"
        for origin in ["http://127.0.0.1:\(port)", "http://localhost:\(port)", "http://[::1]:\(port)"] {
            let ownPage = try #require(await offThePool { ReloadClient(port: port, headers: handshake + "Origin: \(origin)\r\n") })
            #expect(ownPage.status == 101, "Origin \(origin): \(ownPage.head)")
        }
        for origin in ["https://example.com", "http://127.0.0.1:\(port + 1)", "null", "http://127.0.0.1:\(port).evil.com"] {
            let other = try #require(await offThePool { ReloadClient(port: port, headers: handshake + "Origin: \(origin)\r\n") })
            #expect(other.status == 403, "Origin \(origin): \(other.head)")
        }
    }

    /// A rebuild that writes no site (a note it cannot read) leaves the site as it was, and open pages
    /// are told why, to show it; the next good rebuild reloads them.
    @Test func aRebuildThatWritesNoSiteTellsOpenPagesWhy() async throws {
        let server = try await Server()
        defer { server.stop() }
        let port = server.port
        let page = try #require(await offThePool { ReloadClient(port: port) })
        let first = try #require(await offThePool { page.nextSite(wait: 5) })
        #expect(first.version.hasPrefix("0@") && first.problems.isEmpty)

        let broken = Self.lesson + "\n```swift run expect=nonsense\nprint(1)\n```\n"
        try Data(broken.utf8).write(to: server.folder.path("Content/01-threads.md"), options: .atomic)
        let failed = try #require(await offThePool { page.nextSite(wait: 60) })
        #expect(failed.version == first.version, "no new site")
        #expect(failed.problems.contains { $0.contains("01-threads.md:8: error: expect 'nonsense'") },
                "\(failed.problems)")
        #expect(try await server.get("/01-threads.html").body.contains("A thread runs code beside other code."),
                "the page is served as it was")

        try Data(Self.lesson.replacingOccurrences(of: "beside other code", with: "beside code").utf8)
            .write(to: server.folder.path("Content/01-threads.md"), options: .atomic)
        let fixed = try #require(await offThePool { page.nextSite(wait: 60) })
        #expect(fixed.version.hasPrefix("1@") && fixed.problems.isEmpty)
    }

    /// A page that breaks the protocol (here a ping longer than a control frame may be, whose pong could
    /// not be sent) loses its connection; the server goes on.
    @Test func aPageThatBreaksTheProtocolIsCutOff() async throws {
        let server = try await Server()
        defer { server.stop() }
        let port = server.port
        let page = try #require(await offThePool { ReloadClient(port: port) })
        #expect(await offThePool { page.nextGeneration(wait: 5) } == 0)
        page.send(opcode: 0x9, payload: [UInt8](repeating: 1, count: 200))
        #expect(await offThePool { Self.skippingPings(page, wait: 10) } == .closed)
        #expect(try await server.get("/01-threads.html").status == 200)
        #expect(server.process.isRunning)
    }

    /// The course may have changed while `notes serve` was stopped, so a page that outlives a restart
    /// hears another version, though the new run counts from 0 again, and reloads.
    @Test func aRestartedServerTellsAnotherVersion() async throws {
        var versions: [String] = []
        for _ in 0..<2 {
            let server = try await Server()
            defer { server.stop() }
            let port = server.port
            versions.append(try #require(await offThePool { ReloadClient(port: port)?.nextVersion(wait: 5) }))
        }
        #expect(versions.allSatisfy { $0.hasPrefix("0@") } && versions[0] != versions[1], "\(versions)")
    }

    /// The server pings; a page that answers stays connected past the 10-second idle limit and still
    /// hears the next rebuild, and one that has gone quiet is cut off. A close is answered with a close.
    @Test func pongsKeepAPageConnectedAndSilenceEndsIt() async throws {
        let server = try await Server()
        defer { server.stop() }
        let port = server.port
        let (answering, silent, closing) = await offThePool { (ReloadClient(port: port), ReloadClient(port: port),
                                                                    ReloadClient(port: port)) }
        let pages = try [#require(answering), #require(silent), #require(closing)]
        for page in pages { #expect(await offThePool { page.nextGeneration(wait: 5) } == 0) }

        pages[2].send(opcode: 0x8, payload: [0x03, 0xE8])
        #expect(await offThePool { Self.skippingPings(pages[2], wait: 10) } == .frame(opcode: 0x8, payload: [0x03, 0xE8]))
        #expect(await offThePool { pages[2].next(wait: 5) } == .closed)

        async let quiet = offThePool { Self.skippingPings(pages[1], wait: 20) }
        async let kept = offThePool { pages[0].nextGeneration(wait: 20) }
        try await Task.sleep(for: .seconds(13))
        try Data(Self.lesson.replacingOccurrences(of: "beside other code", with: "beside code").utf8)
            .write(to: server.folder.path("Content/01-threads.md"), options: .atomic)
        #expect(await kept == 1, "the page that answered pings heard the rebuild")
        #expect(await quiet == .closed, "the page that never answered was cut off")
    }

    private static func skippingPings(_ page: ReloadClient, wait: Double) -> ReloadClient.Event {
        while true {
            let event = page.next(wait: wait)
            if case .frame(0x9, _) = event { continue }
            return event
        }
    }
}
