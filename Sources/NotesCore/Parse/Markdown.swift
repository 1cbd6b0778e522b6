import Foundation
import CCmarkGFM

/// The one file that talks to cmark-gfm (GFM extensions and footnotes on). It hands the other stages
/// Swift values: `parse` gives the syntax tree as `MarkdownNode`s with their source lines, and `html`
/// gives cmark's own HTML with the blocks a stage chose replaced. No C pointer leaves this file.
enum Markdown {
    static let extensionNames = ["table", "strikethrough", "autolink", "tagfilter", "tasklist"]
    static let options = CMARK_OPT_FOOTNOTES | CMARK_OPT_UNSAFE | CMARK_OPT_GITHUB_PRE_LANG

    /// The tree of `markdown`. Lines count from 1 at the text's first line.
    static func parse(_ markdown: String) -> MarkdownDocument {
        let tree = Tree(markdown)
        var nodes: [MarkdownNode] = []
        var open: [Int] = []  // indices of the nodes whose descendants are still being added
        var current = tree.root
        // Depth first without recursion: down to the first child, else on to the next sibling, else back up.
        while true {
            open.append(nodes.count)
            nodes.append(node(current, end: nodes.count + 1))
            if let child = cmark_node_first_child(current) { current = child; continue }
            while true {
                nodes[open.removeLast()].end = nodes.count
                if current == tree.root { return MarkdownDocument(nodes: nodes) }
                if let next = cmark_node_next(current) { current = next; break }
                current = cmark_node_parent(current)!
            }
        }
    }

    /// What to put in place of a code block or heading when rendering.
    enum Replacement {
        case keep, remove
        case html(String)
    }

    /// cmark-gfm's HTML for `markdown`, with every link's URL passed through `link`, and each code block
    /// and heading (in document order) passed to `block`. `innerHTML` renders a heading's inline content
    /// and takes it out of the heading, so call it only for a heading that is replaced.
    /// notes' own HTML goes in as a custom block, which cmark writes out as it is: an HTML block would pass
    /// through GFM's tag filter, which turns an SVG's `<title>` into text.
    static func html(_ markdown: String, link: (String) -> String,
                     block: (MarkdownNode, _ innerHTML: () -> String) -> Replacement) -> String {
        let tree = Tree(markdown)
        let all = tree.nodes()
        // Links first: replacing a heading frees its inline children.
        for node in all where cmark_node_get_type(node) == CMARK_NODE_LINK {
            cmark_node_set_url(node, link(string(cmark_node_get_url(node))))
        }
        // Chosen before any is replaced: replacing a heading frees its inline nodes.
        let blocks = all.filter { [CMARK_NODE_CODE_BLOCK, CMARK_NODE_HEADING].contains(cmark_node_get_type($0)) }
        for node in blocks {
            let isHeading = cmark_node_get_type(node) == CMARK_NODE_HEADING
            switch block(self.node(node, end: 0), { isHeading ? innerHTML(node) : "" }) {
            case .keep: continue
            case .remove: cmark_node_unlink(node)
            case .html(let html):
                guard let custom = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK) else { continue }
                cmark_node_set_on_enter(custom, html)
                cmark_node_replace(node, custom)
            }
            cmark_node_free(node)
        }
        return tree.html()
    }

    /// A node as a value; `end` as in `MarkdownNode.end`.
    private static func node(_ node: OpaquePointer, end: Int) -> MarkdownNode {
        let kind = cmark_node_get_type(node)
        return MarkdownNode(kind: self.kind(node, kind), line: Int(cmark_node_get_start_line(node)),
                            endLine: Int(cmark_node_get_end_line(node)),
                            isBlock: kind.rawValue & UInt32(CMARK_NODE_TYPE_MASK) == UInt32(CMARK_NODE_TYPE_BLOCK), end: end)
    }

    private static func kind(_ node: OpaquePointer, _ kind: cmark_node_type) -> MarkdownNode.Kind {
        switch kind {
        case CMARK_NODE_DOCUMENT: return .document
        case CMARK_NODE_HEADING: return .heading(level: Int(cmark_node_get_heading_level(node)))
        case CMARK_NODE_CODE_BLOCK: return .codeBlock(codeBlock(node))
        case CMARK_NODE_TEXT: return .text(string(cmark_node_get_literal(node)))
        case CMARK_NODE_CODE: return .code(string(cmark_node_get_literal(node)))
        case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK: return .lineBreak
        case CMARK_NODE_LINK: return .link(url: string(cmark_node_get_url(node)))
        case CMARK_NODE_IMAGE: return .image(url: string(cmark_node_get_url(node)))
        default: return .other
        }
    }

    private static func codeBlock(_ node: OpaquePointer) -> MarkdownNode.CodeBlock {
        var length: Int32 = 0, offset: Int32 = 0
        var character: CChar = 0
        let fenced = cmark_node_get_fenced(node, &length, &offset, &character) != 0
        let fence = fenced ? MarkdownNode.Fence(character: Character(UnicodeScalar(UInt8(bitPattern: character))),
                                                length: Int(length)) : nil
        return MarkdownNode.CodeBlock(info: FenceInfo(string(cmark_node_get_fence_info(node))),
                                      literal: string(cmark_node_get_literal(node)), fence: fence)
    }

    private static func string(_ text: UnsafePointer<CChar>?) -> String {
        text.map { String(cString: $0) } ?? ""
    }

    /// The rendered HTML of a node's inline children (a heading's text with its emphasis and code).
    /// Moves the children out of `node`, which is replaced afterwards.
    private static func innerHTML(_ node: OpaquePointer) -> String {
        guard let document = cmark_node_new(CMARK_NODE_DOCUMENT), let paragraph = cmark_node_new(CMARK_NODE_PARAGRAPH) else { return "" }
        cmark_node_append_child(document, paragraph)
        defer { cmark_node_free(document) }
        while let child = cmark_node_first_child(node) {
            cmark_node_unlink(child)
            cmark_node_append_child(paragraph, child)
        }
        guard let cString = cmark_render_html(document, options, nil) else { return "" }
        defer { free(cString) }
        var html = String(cString: cString).trimmingCharacters(in: .whitespacesAndNewlines)
        if html.hasPrefix("<p>") { html.removeFirst(3) }
        if html.hasSuffix("</p>") { html.removeLast(4) }
        return html
    }

    /// A parser with its finished document; both are freed with it.
    private final class Tree {
        private let parser: OpaquePointer
        let root: OpaquePointer

        init(_ markdown: String) {
            Markdown.registerExtensions
            let parser = cmark_parser_new(Markdown.options)!
            self.parser = parser
            for name in Markdown.extensionNames {
                if let ext = cmark_find_syntax_extension(name) { cmark_parser_attach_syntax_extension(parser, ext) }
            }
            var text = markdown
            text.withUTF8 { buffer in
                buffer.withMemoryRebound(to: CChar.self) { cmark_parser_feed(parser, $0.baseAddress, $0.count) }
            }
            root = cmark_parser_finish(parser)
        }

        deinit {
            cmark_node_free(root)
            cmark_parser_free(parser)
        }

        /// Every node in document order, entering each once.
        func nodes() -> [OpaquePointer] {
            var result: [OpaquePointer] = []
            let iterator = cmark_iter_new(root)
            defer { cmark_iter_free(iterator) }
            while true {
                let event = cmark_iter_next(iterator)
                if event == CMARK_EVENT_DONE { break }
                if event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) { result.append(node) }
            }
            return result
        }

        func html() -> String {
            guard let cString = cmark_render_html(root, Markdown.options, cmark_parser_get_syntax_extensions(parser)) else { return "" }
            defer { free(cString) }
            return String(cString: cString)
        }
    }

    /// The registry is global in cmark-gfm; fill it once, before any thread parses.
    private static let registerExtensions: Void = cmark_gfm_core_extensions_ensure_registered()
}
