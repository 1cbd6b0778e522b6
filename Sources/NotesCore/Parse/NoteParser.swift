import Foundation

/// Parse stage: a `SourceFile` in, a `Note` out.
public enum NoteParser {
    public static func parse(_ file: SourceFile) throws -> Note {
        guard var text = String(validating: file.bytes, as: UTF8.self) else {
            throw Diagnostic(file: file.displayPath, "not valid UTF-8")
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let (matter, body, offset) = try FrontMatter.split(text, file: file.displayPath)
        let tree = Markdown.parse(body)
        var blocks: [CodeBlock] = []
        var headings: [Heading] = []
        var links: [Link] = []
        var anchors = AnchorNamer(reserved: PageIDs.reserved)
        var bodyLines: [Substring]?  // split only when a fenced block needs its closing line checked
        for (index, node) in tree.nodes.enumerated() {
            let line = node.line + offset
            switch node.kind {
            case .codeBlock(let found):
                var block = CodeBlock(info: found.info, code: found.literal.replacingCRLF, line: line,
                                      endLine: node.endLine + offset, fenced: found.fence != nil)
                if let fence = found.fence {
                    bodyLines = bodyLines ?? body.lines
                    block.closed = node.endLine > node.line && node.endLine <= bodyLines!.count
                        && Self.closes(bodyLines![node.endLine - 1], fence: fence)
                }
                blocks.append(block)
            case .heading(let level):
                let text = tree.plainText(of: index)
                headings.append(Heading(level: level, text: text, anchor: anchors.anchor(for: text), line: line))
            case .link(let url):
                links.append(Link(url: url, line: line))
            case .image(let url):
                links.append(Link(url: url, line: line, imageAlt: tree.plainText(of: index)))
            default:
                break
            }
        }
        let fallbackTitle = String(file.outputPath.split(separator: "/").last?.dropLast(5) ?? "")
        let title = matter.title ?? headings.first?.text ?? fallbackTitle
        return Note(source: file, title: title, order: matter.order, desc: matter.desc,
                    body: body, bodyLineOffset: offset,
                    codeBlocks: blocks, headings: headings, links: links,
                    searchSections: SearchSection.gather(in: tree, title: title, headings: headings, lineOffset: offset))
    }
}

extension NoteParser {
    /// Whether `line` (with any blockquote markers and indentation before it) is a closing fence for `fence`:
    /// at least as many of the same character, then only spaces.
    static func closes(_ line: Substring, fence: MarkdownNode.Fence) -> Bool {
        let rest = line.drop { $0 == " " || $0 == "\t" || $0 == ">" }
        let run = rest.prefix { $0 == fence.character }
        return run.count >= fence.length && rest.dropFirst(run.count).allSatisfy { $0 == " " || $0 == "\t" || $0 == "\r" }
    }
}

/// Gives headings GitHub-style anchors, unique within a page: `race-conditions`, `race-conditions-1`.
struct AnchorNamer {
    private var used: [String: Int] = [:]

    /// `reserved`: ids the page around the note already uses, so a heading "Content" gets `content-1`.
    init(reserved: [String] = []) {
        for id in reserved { used[id] = 0 }
    }

    mutating func anchor(for text: String) -> String {
        var base = Slug.make(text)
        // `snippet-<id>` names a snippet on the page (SnippetHTML); a heading never takes one.
        if base.hasPrefix("snippet-") { base = "heading-" + base }
        var candidate = base
        var count = used[base] ?? 0
        while used[candidate] != nil {
            count += 1
            candidate = "\(base)-\(count)"
        }
        used[base] = max(count, used[base] ?? 0)
        used[candidate] = used[candidate] ?? 0
        return candidate
    }
}

extension String {
    /// `\r\n` as `\n`, copying only when there is a `\r`.
    var replacingCRLF: String {
        utf8.contains(UInt8(ascii: "\r")) ? replacingOccurrences(of: "\r\n", with: "\n") : self
    }
}
