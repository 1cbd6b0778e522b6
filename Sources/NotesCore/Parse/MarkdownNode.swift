/// A Markdown text's syntax tree, as `Markdown.parse` hands it on: its nodes in document order, each
/// knowing where its descendants end. Flat, so that walking 10,000 nested blockquotes needs no recursion.
struct MarkdownDocument: Sendable {
    var nodes: [MarkdownNode]

    /// The text of a node's inline descendants, as a reader sees it: `Race *conditions*` → `Race conditions`.
    func plainText(of index: Int) -> String {
        var text = ""
        for node in nodes[(index + 1)..<nodes[index].end] {
            switch node.kind {
            case .text(let literal), .code(let literal): text += literal
            case .lineBreak: text += " "
            default: break
            }
        }
        return text
    }
}

/// One node: what it is and the lines it spans (counted in the text that was parsed).
/// Kinds no stage looks into are `.other`.
struct MarkdownNode: Sendable {
    enum Kind: Sendable {
        case document
        case heading(level: Int)
        case codeBlock(CodeBlock)
        case text(String), code(String)
        /// A soft or hard line break: a space to a reader.
        case lineBreak
        case link(url: String), image(url: String)
        case other
    }

    struct CodeBlock: Sendable {
        var info: FenceInfo
        var literal: String
        /// Nil for an indented code block.
        var fence: Fence?
    }

    struct Fence: Sendable {
        var character: Character
        var length: Int
    }

    var kind: Kind
    var line: Int
    var endLine: Int
    var isBlock: Bool
    /// The index, in `MarkdownDocument.nodes`, just past this node's last descendant.
    var end: Int
}

/// A code fence's info string, split once, at spaces and tabs: ```` ```swift run id=x ```` is the
/// language `swift` and the words `run`, `id=x`.
public struct FenceInfo: Sendable, Equatable {
    public var language: String
    public var words: [String]

    public init(_ info: String) {
        let parts = info.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        language = parts.first ?? ""
        words = Array(parts.dropFirst())
    }

    /// As written, with single spaces.
    public var text: String { ([language] + words).joined(separator: " ") }
}
