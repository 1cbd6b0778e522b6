import Foundation
import CCmarkGFM

/// Parse stage: a `SourceFile` in, a `Note` out.
public enum NoteParser {
    public static func parse(_ file: SourceFile) throws -> Note {
        guard var text = String(validating: file.bytes, as: UTF8.self) else {
            throw Diagnostic(file: file.displayPath, "not valid UTF-8")
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let (matter, body, offset) = try FrontMatter.split(text, file: file.displayPath)
        let tree = MarkdownTree(markdown: body)

        var blocks: [CodeBlock] = []
        var headings: [Heading] = []
        var links: [Link] = []
        var anchors = AnchorNamer(reserved: PageLayout.reservedIDs)
        var bodyLines: [Substring]?  // split only when a fenced block needs its closing line checked
        for node in tree.nodes() {
            let kind = MarkdownTree.type(node)
            let line = MarkdownTree.line(node) + offset
            if kind == CMARK_NODE_CODE_BLOCK {
                let literal = MarkdownTree.literal(node)
                let code = literal.utf8.contains(UInt8(ascii: "\r")) ? literal.replacingOccurrences(of: "\r\n", with: "\n") : literal
                let fence = MarkdownTree.fence(node)
                var block = CodeBlock(info: String(MarkdownTree.fenceInfo(node)[...].trimmingSpaces),
                                      code: code, line: line, endLine: MarkdownTree.endLine(node) + offset,
                                      fenced: fence != nil)
                if let fence {
                    bodyLines = bodyLines ?? body.lines
                    let last = MarkdownTree.endLine(node)
                    block.closed = last > MarkdownTree.line(node) && last <= bodyLines!.count
                        && Self.closes(bodyLines![last - 1], fence: fence)
                }
                blocks.append(block)
            } else if kind == CMARK_NODE_HEADING {
                let text = MarkdownTree.plainText(node)
                headings.append(Heading(level: Int(cmark_node_get_heading_level(node)), text: text,
                                        anchor: anchors.anchor(for: text), line: line))
            } else if kind == CMARK_NODE_LINK || kind == CMARK_NODE_IMAGE {
                let alt = kind == CMARK_NODE_IMAGE ? MarkdownTree.plainText(node) : nil
                links.append(Link(url: MarkdownTree.url(node), line: line, imageAlt: alt))
            }
        }
        let fallbackTitle = String(file.outputPath.split(separator: "/").last?.dropLast(5) ?? "")
        let title = matter.title ?? headings.first?.text ?? fallbackTitle
        return Note(source: file, title: title, order: matter.order, desc: matter.desc,
                    body: body, bodyLineOffset: offset,
                    codeBlocks: blocks, headings: headings, links: links,
                    searchSections: SearchIndex.sections(in: tree, title: title, headings: headings))
    }
}

extension NoteParser {
    /// Whether `line` (with any blockquote markers and indentation before it) is a closing fence for `fence`:
    /// at least as many of the same character, then only spaces.
    static func closes(_ line: Substring, fence: (character: Character, length: Int)) -> Bool {
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
