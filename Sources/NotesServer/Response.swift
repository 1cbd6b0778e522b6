import Foundation

/// An answer of the preview server, written as HTTP/1.1.
struct Response {
    enum Body {
        case bytes(Data)
        case file(OpenFile)

        var count: Int {
            switch self {
            case .bytes(let data): data.count
            case .file(let file): file.size
            }
        }
    }

    var status: Int
    var reason: String
    var headers: [(name: String, value: String)] = []
    var body: Body = .bytes(Data())

    static func text(_ status: Int, _ reason: String, _ body: String, headers: [(String, String)] = []) -> Response {
        Response(status: status, reason: reason,
                 headers: headers.map { (name: $0.0, value: $0.1) } + [("Content-Type", "text/plain; charset=utf-8")],
                 body: .bytes(Data(body.utf8)))
    }

    /// The status line and headers. Every answer but a 304 says how long its body is (HEAD's too,
    /// though it is not sent), so the connection can carry the next request. A 101 has no body, and
    /// its own `Connection: Upgrade`.
    func head(keepAlive: Bool) -> Data {
        var lines = ["HTTP/1.1 \(status) \(reason)"] + headers.map { "\($0.name): \($0.value)" }
        if status != 101 {
            if status != 304 { lines.append("Content-Length: \(body.count)") }
            lines.append("Connection: \(keepAlive ? "keep-alive" : "close")")
        }
        return Data((lines.joined(separator: "\r\n") + "\r\n\r\n").utf8)
    }
}
