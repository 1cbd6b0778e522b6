/// The optional YAML block at the top of a note, between `---` lines.
/// Dendron's keys (`id`, `updated`, `created`) are accepted alongside ours.
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
    static func split(_ text: String, file: String) throws -> (FrontMatter, body: String, bodyLineOffset: Int) {
        let lines = text.lines
        guard let first = lines.first, first.trimmingTrailingSpace == "---" else {
            return (FrontMatter(), text, 0)
        }
        guard let close = lines.dropFirst().firstIndex(where: { ["---", "..."].contains($0.trimmingTrailingSpace) }) else {
            throw Diagnostic(file: file, line: 1, "front matter: no closing '---' line")
        }
        let yaml = lines[1..<close].joined(separator: "\n")
        let map = try YAMLMapping(text: yaml, file: file, firstLine: 2, context: "front matter")
        var matter = FrontMatter()
        matter.title = try map.string("title")
        matter.order = try map.int("order")
        matter.desc = try map.string("desc")
        let body = lines[(close + 1)...].joined(separator: "\n")
        return (matter, body, close + 1)
    }
}

extension StringProtocol {
    /// Lines split at `\n` or `\r\n` (one Character in Swift, so `split(separator: "\n")` misses it).
    var lines: [SubSequence] {
        split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
    }
}

extension Substring {
    var trimmingTrailingSpace: Substring {
        var s = self
        while let last = s.last, last == " " || last == "\t" || last == "\r" { s.removeLast() }
        return s
    }
}
