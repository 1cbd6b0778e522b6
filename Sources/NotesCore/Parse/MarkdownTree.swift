import Foundation
import CCmarkGFM

/// cmark-gfm's syntax tree for one Markdown text, with the GFM extensions and footnotes on.
/// Every stage that needs the tree parses again: parsing costs a fraction of a millisecond,
/// and it keeps C pointers out of the values handed between stages.
final class MarkdownTree {
    static let extensionNames = ["table", "strikethrough", "autolink", "tagfilter", "tasklist"]
    static let options = CMARK_OPT_FOOTNOTES | CMARK_OPT_UNSAFE | CMARK_OPT_GITHUB_PRE_LANG

    private let parser: OpaquePointer
    let root: OpaquePointer

    init(markdown: String) {
        Self.registerExtensions
        let parser = cmark_parser_new(Self.options)!
        self.parser = parser
        for name in Self.extensionNames {
            if let ext = cmark_find_syntax_extension(name) {
                cmark_parser_attach_syntax_extension(parser, ext)
            }
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

    /// The registry is global in cmark-gfm; fill it once, before any thread parses.
    private static let registerExtensions: Void = cmark_gfm_core_extensions_ensure_registered()

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
        guard let cString = cmark_render_html(root, Self.options, cmark_parser_get_syntax_extensions(parser)) else { return "" }
        defer { free(cString) }
        return String(cString: cString)
    }

    /// Puts raw HTML in place of a node (a code block becomes its rendered snippet).
    /// notes' own HTML (a snippet with its output, an SVG) goes in as a custom block, which cmark writes out
    /// as it is: an HTML block would pass through GFM's tag filter, which turns an SVG's `<title>` into text.
    func replace(_ node: OpaquePointer, withHTML html: String) {
        guard let block = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK) else { return }
        cmark_node_set_on_enter(block, html)
        cmark_node_replace(node, block)
        cmark_node_free(node)
    }

    func remove(_ node: OpaquePointer) {
        cmark_node_unlink(node)
        cmark_node_free(node)
    }

    static func type(_ node: OpaquePointer) -> cmark_node_type { cmark_node_get_type(node) }
    static func line(_ node: OpaquePointer) -> Int { Int(cmark_node_get_start_line(node)) }
    static func endLine(_ node: OpaquePointer) -> Int { Int(cmark_node_get_end_line(node)) }
    static func literal(_ node: OpaquePointer) -> String {
        cmark_node_get_literal(node).map { String(cString: $0) } ?? ""
    }
    static func fenceInfo(_ node: OpaquePointer) -> String {
        cmark_node_get_fence_info(node).map { String(cString: $0) } ?? ""
    }
    /// The fence of a fenced code block (its character and length), nil for an indented one.
    static func fence(_ node: OpaquePointer) -> (character: Character, length: Int)? {
        var length: Int32 = 0, offset: Int32 = 0
        var character: CChar = 0
        guard cmark_node_get_fenced(node, &length, &offset, &character) != 0 else { return nil }
        return (Character(UnicodeScalar(UInt8(bitPattern: character))), Int(length))
    }
    static func url(_ node: OpaquePointer) -> String {
        cmark_node_get_url(node).map { String(cString: $0) } ?? ""
    }
    static func setURL(_ node: OpaquePointer, _ url: String) { cmark_node_set_url(node, url) }

    /// The text of a node's inline children, as a reader sees it: `Race *conditions*` → `Race conditions`.
    static func plainText(_ node: OpaquePointer) -> String {
        var text = ""
        let iterator = cmark_iter_new(node)
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard event == CMARK_EVENT_ENTER, let child = cmark_iter_get_node(iterator) else { continue }
            let kind = cmark_node_get_type(child)
            if kind == CMARK_NODE_TEXT || kind == CMARK_NODE_CODE { text += literal(child) }
            if kind == CMARK_NODE_SOFTBREAK || kind == CMARK_NODE_LINEBREAK { text += " " }
        }
        return text
    }
}

extension MarkdownTree {
    /// The rendered HTML of a node's inline children (a heading's text with its emphasis and code).
    static func innerHTML(_ node: OpaquePointer, tree: MarkdownTree) -> String {
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
}
