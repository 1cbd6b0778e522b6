import CCrypto
import FlyingSocks
import Foundation

/// The small part of WebSocket (RFC 6455) that live reload needs: the opening handshake, short frames
/// from the server, and reading the client's frames to see its pongs and its close.
enum WebSocket {
    enum Opcode: UInt8 {
        case continuation = 0x0, text = 0x1, binary = 0x2, close = 0x8, ping = 0x9, pong = 0xA
    }

    struct Frame: Equatable {
        var opcode: Opcode
        var payload: [UInt8]
    }

    /// Nothing the page sends is longer; a longer frame ends the connection.
    static let maximumPayload = 1024

    /// The 101 that turns a request into a WebSocket, or why it cannot.
    static func handshake(for request: RequestHead, authority: Authority) -> Response {
        let upgrade = request.headers["upgrade"]?.lowercased() ?? ""
        let connection = request.headers["connection"]?.lowercased().split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) } ?? []
        guard request.method == "GET", request.version == "HTTP/1.1", upgrade == "websocket", connection.contains("upgrade"),
              let key = request.headers["sec-websocket-key"], Data(base64Encoded: key)?.count == 16 else {
            return .text(400, "Bad Request", "live reload is a WebSocket: ask with Upgrade: websocket\n")
        }
        guard request.headers["sec-websocket-version"] == "13" else {
            return .text(426, "Upgrade Required", "WebSocket version 13 only\n", headers: [("Sec-WebSocket-Version", "13")])
        }
        // Browsers let any site open a WebSocket anywhere, and say whose page asks: only the site's own
        // pages may. Checked against the server's own names, not the request's Host, which a rebinding
        // page's browser sends with the page's name.
        if let origin = request.headers["origin"], !authority.allows(origin: origin) {
            return .text(403, "Forbidden", "live reload is for this site's own pages\n")
        }
        return Response(status: 101, reason: "Switching Protocols",
                        headers: [("Upgrade", "websocket"), ("Connection", "Upgrade"), ("Sec-WebSocket-Accept", accept(key))])
    }

    /// base64(SHA-1(key + the protocol's GUID)): proof that the server read this handshake.
    static func accept(_ key: String) -> String {
        let input = Array((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").utf8)
        var digest = [UInt8](repeating: 0, count: 20)
        var length: UInt32 = 0
        EVP_Digest(input, input.count, &digest, &length, EVP_sha1(), nil)
        return Data(digest).base64EncodedString()
    }

    /// A whole, unmasked frame from the server, with a 7- or 16-bit length: live reload sends no more.
    static func frame(_ opcode: Opcode, _ payload: [UInt8] = []) -> Data {
        precondition(payload.count <= 0xFFFF, "live reload sends frames under 64 KB")
        let length: [UInt8] = payload.count < 126 ? [UInt8(payload.count)]
            : [126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        return Data([0x80 | opcode.rawValue] + length + payload)
    }

    enum Problem: Error {
        case unmasked, tooLong, unknownOpcode, reservedBits, fragmentedControl
    }

    /// The next frame from the client, taken off the front of `buffer` (read into from the socket as
    /// needed). A client's frames are masked (RFC 6455 5.1); an unmasked or long one is a problem.
    static func readFrame(from socket: AsyncSocket, buffer: inout [UInt8]) async throws -> Frame {
        while true {
            switch try parse(buffer) {
            case .frame(let frame, let used):
                buffer.removeFirst(used)
                return frame
            case .needMore:
                buffer += try await socket.read(atMost: 4096)
            }
        }
    }

    enum Parsed: Equatable {
        case frame(Frame, used: Int)
        case needMore
    }

    /// One frame from the front of `bytes`, if they hold a whole one.
    static func parse(_ bytes: [UInt8]) throws(Problem) -> Parsed {
        guard bytes.count >= 2 else { return .needMore }
        guard let opcode = Opcode(rawValue: bytes[0] & 0x0F) else { throw .unknownOpcode }
        // No extension is agreed on, so the RSV bits are 0; a control frame is never split (RFC 6455 5.2, 5.5).
        guard bytes[0] & 0x70 == 0 else { throw .reservedBits }
        guard bytes[0] & 0x80 != 0 || opcode.rawValue < 0x8 else { throw .fragmentedControl }
        guard bytes[1] & 0x80 != 0 else { throw .unmasked }
        var length = Int(bytes[1] & 0x7F)
        var start = 2
        if length == 126 {
            guard bytes.count >= 4 else { return .needMore }
            length = Int(bytes[2]) << 8 | Int(bytes[3])
            start = 4
        } else if length == 127 {
            throw .tooLong  // 64-bit lengths: far past anything the page sends
        }
        // Control frames (close, ping, pong) carry at most 125 bytes (RFC 6455 5.5), and a pong echoes a ping's.
        guard length <= (opcode.rawValue >= 0x8 ? 125 : maximumPayload) else { throw .tooLong }
        guard bytes.count >= start + 4 + length else { return .needMore }
        let mask = bytes[start..<start + 4]
        let payload = bytes[(start + 4)..<(start + 4 + length)].enumerated().map { index, byte in
            byte ^ mask[mask.startIndex + index % 4]
        }
        return .frame(Frame(opcode: opcode, payload: payload), used: start + 4 + length)
    }
}
