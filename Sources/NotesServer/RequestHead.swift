/// What the preview server reads of an HTTP/1.x request: the request line and the headers. It serves
/// only GET and HEAD, so it never reads a body; a request that announces one is answered and closed.
struct RequestHead: Equatable {
    var method: String
    /// As sent: the percent-encoded path, and the query after `?` if any.
    var target: String
    var version: String
    /// Names lower-cased; a repeated header's values are joined with ", ".
    var headers: [String: String]

    /// A browser sends a few hundred bytes; nothing a course needs comes near this.
    static let maximumBytes = 16 * 1024

    enum Problem: Error, Equatable {
        case malformed
        case tooLarge
    }

    var path: String { String(target.prefix { $0 != "?" }) }

    func query(_ name: String) -> String? {
        guard let mark = target.firstIndex(of: "?") else { return nil }
        for pair in target[target.index(after: mark)...].split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if parts[0] == name { return parts.count > 1 ? String(parts[1]) : "" }
        }
        return nil
    }

    /// HTTP/1.1 keeps the connection open unless told to close it; HTTP/1.0 only when asked to keep it.
    var keepsAlive: Bool {
        let connection = headers["connection"]?.lowercased() ?? ""
        return version == "HTTP/1.1" ? !connection.contains("close") : connection.contains("keep-alive")
    }

    var announcesBody: Bool {
        headers["transfer-encoding"] != nil || (headers["content-length"].map { $0 != "0" } ?? false)
    }

    /// `bytes` is the head up to and including the blank line that ends it. Stricter than HTTP parsers
    /// usually are (RFC 9112's grammar, without its leniencies): one space between the parts of the
    /// request line, a method of capital letters, a target of visible ASCII, token header names, and
    /// no control characters but tab in values.
    static func parse(_ bytes: ArraySlice<UInt8>) throws(Problem) -> RequestHead {
        guard bytes.count <= maximumBytes else { throw .tooLarge }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw .malformed }
        var lines = text.split(separator: "\r\n", omittingEmptySubsequences: false)
        guard lines.count >= 3, lines.removeLast() == "", lines.removeLast() == "" else { throw .malformed }
        let request = lines.removeFirst().split(separator: " ", omittingEmptySubsequences: false)
        guard request.count == 3, request[2] == "HTTP/1.1" || request[2] == "HTTP/1.0",
              Self.all(request[0], in: "A"..."Z"), Self.all(request[1], in: "!"..."~") else { throw .malformed }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":"), Self.isToken(line[..<colon]) else { throw .malformed }
            let value = line[line.index(after: colon)...].trimmingCharacters(in: [" ", "\t"])
            guard value.unicodeScalars.allSatisfy({ $0 == "\t" || ($0 >= " " && $0 != "\u{7F}") }) else { throw .malformed }
            let name = line[..<colon].lowercased()
            headers[name] = headers[name].map { "\($0), \(value)" } ?? value
        }
        return RequestHead(method: String(request[0]), target: String(request[1]), version: String(request[2]),
                           headers: headers)
    }

    private static func all(_ text: Substring, in range: ClosedRange<Unicode.Scalar>) -> Bool {
        !text.isEmpty && text.unicodeScalars.allSatisfy(range.contains)
    }

    /// A header name: RFC 9110's token, letters, digits and a few marks.
    private static func isToken(_ text: Substring) -> Bool {
        !text.isEmpty && text.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic
            || ("0"..."9").contains($0) || "!#$%&'*+-.^_`|~".unicodeScalars.contains($0)) }
    }
}
