import FlyingSocks
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One client's connection: reads request heads (bounded in size; the pool bounds how long it waits),
/// answers each through the responder, and keeps the connection while the client wants it. While it
/// waits for its client, `limit` may shut it down to make room for a new one.
struct Connection {
    let socket: AsyncSocket
    let responder: SiteResponder
    let limit: ConnectionLimit
    let id: UInt64

    func serve() async {
        defer {
            limit.closing(id)
            try? socket.close()
        }
        var buffer: [UInt8] = []
        do {
            while true {
                let head: RequestHead
                do {
                    limit.idle(id, true)
                    guard let read = try await readHead(&buffer) else { return }
                    head = read
                    limit.idle(id, false)
                } catch let problem as RequestHead.Problem {
                    try await send(problem == .tooLarge ? Self.tooLarge : Self.malformed, method: "GET", keepAlive: false)
                    return await finish()
                }
                let response = await responder.respond(to: head)
                if response.status == 101 {
                    try await send(response, method: head.method, keepAlive: true)
                    limit.idle(id, true)
                    return try await ReloadSocket(socket: socket, liveReload: responder.liveReload, buffer: buffer).run()
                }
                // A body is never read, so the connection cannot carry another request after one; and a
                // client that asked for another host (421) has nothing to ask of this one.
                let keepAlive = head.keepsAlive && !head.announcesBody && response.status != 421
                try await send(response, method: head.method, keepAlive: keepAlive)
                if !keepAlive { return await finish() }
                // A busy client finds its next request already waiting; let the other connections go first.
                await Task.yield()
            }
        } catch {
            return  // the client went away, or stalled and was cut off
        }
    }

    /// After a last answer: no more to send, and what the client is still sending (a body, the rest of a
    /// head too large) is read and dropped until it closes, within bounds. Closing with unread bytes
    /// would reset the connection, and the client could lose the answer.
    private func finish() async {
        limit.idle(id, true)
        _ = shutdown(socket.socket.file.rawValue, Int32(SHUT_WR))
        var dropped = 0
        while dropped < 1 << 20, let bytes = try? await socket.read(atMost: 4096) { dropped += bytes.count }
    }

    /// The next head from `buffer` and the socket; what follows it stays in `buffer`. Nil when the
    /// client closes the connection between requests.
    private func readHead(_ buffer: inout [UInt8]) async throws -> RequestHead? {
        var searched = 0
        while true {
            if let end = Self.endOfHead(in: buffer, from: searched) {
                defer { buffer.removeFirst(end) }
                return try RequestHead.parse(buffer[..<end])
            }
            guard buffer.count <= RequestHead.maximumBytes else { throw RequestHead.Problem.tooLarge }
            searched = max(0, buffer.count - 3)
            do {
                buffer += try await socket.read(atMost: 4096)
            } catch SocketError.disconnected where buffer.isEmpty {
                return nil
            }
        }
    }

    /// Just past the first CR LF CR LF at or after `start`.
    private static func endOfHead(in bytes: [UInt8], from start: Int) -> Int? {
        guard bytes.count >= 4 else { return nil }
        var index = start
        while index + 3 < bytes.count {
            if bytes[index] == 13, bytes[index + 1] == 10, bytes[index + 2] == 13, bytes[index + 3] == 10 {
                return index + 4
            }
            index += 1
        }
        return nil
    }

    /// Head and a small body go out in one write: a second small write would wait for the client's
    /// delayed ACK (Nagle), some 40 ms per request.
    private func send(_ response: Response, method: String, keepAlive: Bool) async throws {
        var head = response.head(keepAlive: keepAlive)
        guard method != "HEAD", response.status != 304 else { return try await socket.write(head) }
        switch response.body {
        case .bytes(let data):
            head.append(data)
            try await socket.write(head)
        case .file(let file):
            while let chunk = try file.read(upTo: 64 * 1024) {
                head.append(chunk)
                try await socket.write(head)
                head = Data()
            }
            if !head.isEmpty { try await socket.write(head) }
        }
    }

    private static let malformed = Response.text(400, "Bad Request", "malformed request\n")
    private static let tooLarge = Response.text(431, "Request Header Fields Too Large", "request head too large\n")
}
