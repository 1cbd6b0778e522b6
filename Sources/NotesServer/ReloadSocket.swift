import FlyingSocks

/// One open page's live-reload WebSocket, after the handshake. It sends `LiveReload.message()` at once
/// and after every rebuild; in between it pings, and the page's browser answers with a pong. The pong is
/// what keeps the connection inside the pool's idle limit, and a page that has gone (a closed tab, a
/// sleeping laptop) stops answering and is cut off.
struct ReloadSocket {
    let socket: AsyncSocket
    let liveReload: LiveReload
    /// Bytes the client sent after its handshake, if any.
    var buffer: [UInt8]
    var pingInterval: Duration = .seconds(4)

    func run() async throws {
        var buffer = buffer
        var heard = liveReload.changes
        try await socket.write(WebSocket.frame(.text, Array(liveReload.message().utf8)))
        while true {
            let now = await liveReload.wait(since: heard, timeout: pingInterval)
            try Task.checkCancellation()
            if now != heard {
                heard = now
                try await socket.write(WebSocket.frame(.text, Array(liveReload.message().utf8)))
                continue
            }
            try await socket.write(WebSocket.frame(.ping))
            guard try await awaitPong(&buffer) else { return }
        }
    }

    /// Reads the client's frames up to its pong: false when it closes instead (its close is answered).
    private func awaitPong(_ buffer: inout [UInt8]) async throws -> Bool {
        while true {
            let frame = try await WebSocket.readFrame(from: socket, buffer: &buffer)
            switch frame.opcode {
            case .pong:
                return true
            case .close:
                try await socket.write(WebSocket.frame(.close, Array(frame.payload.prefix(2))))
                return false
            case .ping:
                try await socket.write(WebSocket.frame(.pong, frame.payload))
            case .text, .binary, .continuation:
                continue  // the page has nothing to say; ignored
            }
        }
    }
}
