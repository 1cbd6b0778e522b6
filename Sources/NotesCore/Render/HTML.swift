/// HTML escaping: every piece of text from a note or a snippet's output goes through here.
/// Both work on UTF-8 bytes: every page's sidebar passes each lesson through them, so at 1000 lessons
/// Foundation's percent-encoding and a Character-by-Character loop were most of the render time.
public enum HTML {
    /// A site path as it goes into `href`: each segment percent-encoded (a note may be named
    /// `my note#1.md`), then HTML-escaped. `/` separates segments and stays.
    static func href(_ path: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(path.utf8.count)
        for byte in path.utf8 {
            if byte < 0x80, pathAllowed[Int(byte)] {
                out.append(byte)
            } else {
                out += [UInt8(ascii: "%"), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xF)]]
            }
        }
        return escape(String(decoding: out, as: UTF8.self))
    }

    public static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 < 0x80 && replacements[Int($0)] != nil }) else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 16)
        for byte in text.utf8 {
            if byte < 0x80, let replacement = replacements[Int(byte)] { out += replacement } else { out.append(byte) }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// RFC 3986 path characters, less `#`, `?`, `%` and `;`, which would end or change the path.
    private static let pathAllowed: [Bool] = (0..<128).map { byte in
        let scalar = Unicode.Scalar(UInt8(byte))
        return ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
            || "-._~!$&'()*+,=:@/".unicodeScalars.contains(scalar)
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    private static let replacements: [[UInt8]?] = (0..<128).map { byte in
        switch Unicode.Scalar(UInt8(byte)) {
        case "&": Array("&amp;".utf8)
        case "<": Array("&lt;".utf8)
        case ">": Array("&gt;".utf8)
        case "\"": Array("&quot;".utf8)
        case "'": Array("&#39;".utf8)
        default: nil
        }
    }
}
