/// The text under one h1, h2 or h3 of a page (or before the first), for the site's search: its prose and
/// the code a reader sees, as plain text with whitespace collapsed. Gathered while the parser has the tree.
struct SearchSection: Equatable, Sendable {
    var heading: String
    var anchor: String
    var text: String
}

extension SearchSection {
    /// A parsed note's sections, from the tree the parser built. `lineOffset` turns the tree's lines into
    /// the file lines headings are known by.
    static func gather(in tree: MarkdownDocument, title: String, headings: [Heading], lineOffset: Int) -> [SearchSection] {
        let headings = Dictionary(headings.map { ($0.line - lineOffset, $0) }, uniquingKeysWith: { first, _ in first })
        var sections = [SearchSection(heading: title, anchor: "", text: "")]
        var text = ""
        var openBlocks: [Int] = []  // where each enclosing block ends: a block's end is a space between words
        var index = 0
        while index < tree.nodes.count {
            while let end = openBlocks.last, end <= index { text += " "; openBlocks.removeLast() }
            let node = tree.nodes[index]
            switch node.kind {
            case .heading:
                guard let heading = headings[node.line], heading.level <= 3 else { break }
                sections[sections.count - 1].text = collapse(text)
                text = " "
                let isTitle = heading.level == 1 && sections.count == 1 && sections[0].text.isEmpty
                if isTitle { sections[0].anchor = heading.anchor } else {
                    sections.append(SearchSection(heading: heading.text, anchor: heading.anchor, text: ""))
                }
                // A heading's words are its section's name, not its text.
                index = node.end
                continue
            case .codeBlock(let block):
                // Recorded output is not shown as written; the page shows the real run instead.
                if block.info.language == "output" { break }
                text += " " + (block.info.language == "swift" ? HiddenLines.visible(block.literal) : block.literal) + " "
            case .text(let literal), .code(let literal):
                text += literal
            case .lineBreak:
                text += " "
            default:
                break
            }
            if node.isBlock { openBlocks.append(node.end) }
            index += 1
        }
        sections[sections.count - 1].text = collapse(text)
        return sections.filter { !$0.text.isEmpty || !$0.anchor.isEmpty }
    }

    /// Runs of whitespace become one space, and none is left at either end. By scalar: splitting
    /// by Character was a sixth of parsing a note.
    static func collapse(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var space = false
        for scalar in text.unicodeScalars {
            let white = switch scalar.value {
            case 0x20, 0x09...0x0D: true
            case 0..<0x80: false
            default: scalar.properties.isWhitespace
            }
            if white {
                space = !out.isEmpty
            } else {
                if space { out.append(" ") }
                space = false
                out.append(scalar)
            }
        }
        return String(out)
    }
}
