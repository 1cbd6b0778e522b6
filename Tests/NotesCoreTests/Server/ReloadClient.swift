import Foundation

/// A page's live-reload WebSocket, spoken as a browser speaks it over a `TCPClient`: the handshake,
/// masked frames to the server, and a pong for every ping (unless told not to answer).
final class ReloadClient: @unchecked Sendable {
    let tcp: TCPClient
    /// The server's answer to the handshake: status line and headers.
    private(set) var head = ""
    private var buffer: [UInt8] = []

    /// RFC 6455's own example key (section 1.3), whose accept value the RFC gives.
    static let exampleKey = "dGhlIHNhbXBsZSBub25jZQ=="

    /// `host`, the `Host` header, is the server's own unless told.
    init?(port: Int, host: String? = nil, headers: String = "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: \(ReloadClient.exampleKey)\r\nSec-WebSocket-Version: 13\r\n") {
        guard let tcp = TCPClient(port: port) else { return nil }
        self.tcp = tcp
        tcp.send(Array("GET /__notes/reload HTTP/1.1\r\nHost: \(host ?? "127.0.0.1:\(port)")\r\n\(headers)\r\n".utf8))
        let end: [UInt8] = [13, 10, 13, 10]
        while true {
            if let range = buffer.firstRange(of: end) {
                head = String(decoding: buffer[..<range.lowerBound], as: UTF8.self)
                buffer.removeFirst(range.upperBound)
                return
            }
            let (bytes, _) = tcp.receive(wait: 5)
            if bytes.isEmpty { return }
            buffer += bytes
        }
    }

    var status: Int { head.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0 }

    func header(_ name: String) -> String? {
        head.split(separator: "\r\n").dropFirst().first { $0.lowercased().hasPrefix(name.lowercased() + ":") }
            .map { $0.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces) }
    }

    enum Event: Equatable {
        case frame(opcode: UInt8, payload: [UInt8])
        /// The server closed the connection.
        case closed
        /// Nothing came within the wait.
        case silence
        /// A frame no server may send: masked, or longer than it says.
        case invalid
    }

    /// The next thing the server does, within `wait` seconds.
    func next(wait: Double) -> Event {
        while true {
            if buffer.count >= 4 || (buffer.count >= 2 && buffer[1] < 126) {
                guard buffer[1] & 0x80 == 0, buffer[1] & 0x7F < 127 else { return .invalid }
                let (start, length) = buffer[1] < 126 ? (2, Int(buffer[1])) : (4, Int(buffer[2]) << 8 | Int(buffer[3]))
                if buffer.count >= start + length {
                    defer { buffer.removeFirst(start + length) }
                    return .frame(opcode: buffer[0] & 0x0F, payload: Array(buffer[start..<start + length]))
                }
            }
            let (bytes, closed) = tcp.receive(wait: wait)
            if bytes.isEmpty { return closed ? .closed : .silence }
            buffer += bytes
        }
    }

    /// What the server tells of the site (a text frame of JSON): its version (`3@k1x9…`, generation and
    /// server run), and why the last rebuild wrote no site, if it did not.
    struct Site: Decodable, Equatable {
        var version: String
        var problems: [String]
    }

    /// The next thing the server tells of the site, answering pings on the way when `answerPings`.
    func nextSite(wait: Double, answerPings: Bool = true) -> Site? {
        while case .frame(let opcode, let payload) = next(wait: wait) {
            if opcode == 0x1 { return try? JSONDecoder().decode(Site.self, from: Data(payload)) }
            if opcode == 0x9, answerPings { send(opcode: 0xA, payload: payload) }
        }
        return nil
    }

    func nextVersion(wait: Double, answerPings: Bool = true) -> String? {
        nextSite(wait: wait, answerPings: answerPings)?.version
    }

    /// The generation (count of sites swapped in) of the next version the server tells.
    func nextGeneration(wait: Double, answerPings: Bool = true) -> Int? {
        nextVersion(wait: wait, answerPings: answerPings).flatMap { Int($0.prefix { $0 != "@" }) }
    }

    /// A masked frame, as every client frame must be.
    func send(opcode: UInt8, payload: [UInt8] = []) {
        let mask: [UInt8] = [0x37, 0xFA, 0x21, 0x3D]
        let masked = payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
        let length: [UInt8] = payload.count < 126 ? [0x80 | UInt8(payload.count)]
            : [0x80 | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        tcp.send([0x80 | opcode] + length + mask + masked)
    }
}
