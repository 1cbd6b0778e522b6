/// The optional YAML block at the top of a note, between `---` lines.
/// Keys other than ours are ignored, so notes written for other tools (Dendron's `id`, `updated`,
/// `created`) load as they are.
public struct FrontMatter: Sendable, Equatable {
    public var title: String?
    public var order: Int?
    public var desc: String?

    public init(title: String? = nil, order: Int? = nil, desc: String? = nil) {
        self.title = title
        self.order = order
        self.desc = desc
    }

    /// Splits a note's text into its front matter and the Markdown after it.
    /// `bodyLineOffset` is how many lines come before the body, so Markdown lines can be reported as file lines.
    /// Only the head is split into lines; the body is handed on whole (`\r\n` becomes `\n`).
    static func split(_ text: String, file: String) throws -> (FrontMatter, body: String, bodyLineOffset: Int) {
        var rest = text[...]
        func nextLine() -> Substring? {
            guard !rest.isEmpty else { return nil }
            // A lone `\r` ends a line too, as in CommonMark: otherwise every one in the head would shift
            // the body's lines, and each error after it would name the wrong line.
            let end = rest.firstIndex { $0 == "\n" || $0 == "\r\n" || $0 == "\r" } ?? rest.endIndex
            defer { rest = end == rest.endIndex ? rest[end...] : rest[rest.index(after: end)...] }
            return rest[..<end]
        }
        guard let first = nextLine(), first.trimmingTrailingSpace == "---" else {
            return (FrontMatter(), text, 0)
        }
        var yaml: [Substring] = []
        while let line = nextLine() {
            guard !["---", "..."].contains(line.trimmingTrailingSpace) else {
                let map = try YAMLMapping(text: yaml.joined(separator: "\n"), file: file, firstLine: 2, context: "front matter")
                var matter = FrontMatter()
                matter.title = try map.string("title")
                matter.order = try map.int("order")
                matter.desc = try map.string("desc")
                let body = rest.utf8.contains(UInt8(ascii: "\r")) ? rest.lines.joined(separator: "\n") : String(rest)
                return (matter, body, yaml.count + 2)
            }
            yaml.append(line)
        }
        throw Diagnostic(file: file, line: 1, "front matter: no closing '---' line")
    }
}

extension StringProtocol {
    /// Lines as CommonMark (and so cmark's line numbers) count them: split at `\n`, `\r\n` (one Character
    /// in Swift, so `split(separator: "\n")` misses it) and a lone `\r`.
    /// By UTF-8 byte, as splitting by Character was a third of parsing a note.
    var lines: [SubSequence] {
        var lines: [SubSequence] = []
        let bytes = utf8
        var start = bytes.startIndex
        var carriageReturn: String.Index?  // where the byte before this one is a `\r`
        var index = start
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\n") {
                lines.append(self[start..<(carriageReturn ?? index)])
                start = bytes.index(after: index)
            } else if let lone = carriageReturn {
                lines.append(self[start..<lone])
                start = index
            }
            carriageReturn = byte == UInt8(ascii: "\r") ? index : nil
            index = bytes.index(after: index)
        }
        if let lone = carriageReturn {
            lines.append(self[start..<lone])
            start = bytes.endIndex
        }
        lines.append(self[start..<bytes.endIndex])
        return lines
    }
}

extension Substring {
    /// Without spaces and tabs at either end; Foundation's `trimmingCharacters` builds a character set per call.
    var trimmingSpaces: Substring {
        drop { $0 == " " || $0 == "\t" }.trimmingTrailingSpace
    }

    var trimmingTrailingSpace: Substring {
        var s = self
        while let last = s.last, last == " " || last == "\t" || last == "\r" { s.removeLast() }
        return s
    }
}
