import Foundation
import Testing
@testable import NotesCore

/// The oracle for notes' Markdown: the `cmark-gfm` command, run beside `Markdown.html` on the same text
/// with the same extensions. With every block kept and links untouched, the two must agree byte for byte:
/// the value tree and the block replacement must not change what cmark-gfm itself writes.
@Suite("Parse: Markdown against the cmark-gfm CLI (real cmark-gfm)")
struct MarkdownDifferentialTests {
    /// Edge cases beyond the course: every GFM extension, raw HTML through the tag filter, deep nesting,
    /// entities, tabs in info strings, CRLF and lone CR line ends, unclosed fences.
    static let cases = [
        "| a | b |\n| :- | -: |\n| `x` | **y** |\n",
        "~~gone~~ and ~kept~, www.example.com, https://swift.org/x?y=1 and me@example.com\n",
        "- [ ] todo\n- [x] done\n  1. nested\n     > quote\n",
        "<title>t</title><script>alert(1)</script>\n\n<div><xmp>raw</xmp></div>\n",
        "```swift\trun id=x\nprint(\"<&>\")\n```\n\n~~~output\n<&>\n~~~\n",
        "&amp; &copy; &#x1F600; \\* *emph **strong** `code`*\n",
        String(repeating: "> ", count: 2_000) + "deep\n",
        "# Heading with `code` and [link](02-locks.md#mutex)\n\nline one\r\nline two\rline three\n",
        "```\nnever closed\n",
        "    indented code\n\n***\n\nSetext\n======\n",
    ]

    static func corpus() throws -> [(name: String, text: String)] {
        var documents = cases.enumerated().map { ("case \($0.offset)", $0.element) }
        for folder in ["Content", "Tests/Differential/Corpus"] {
            let url = packageRoot.appendingPathComponent(folder)
            for name in try FileManager.default.contentsOfDirectory(atPath: url.path).sorted() where name.hasSuffix(".md") {
                let text = try String(contentsOf: url.appendingPathComponent(name), encoding: .utf8)
                documents.append(("\(folder)/\(name)", try FrontMatter.split(text, file: name).body))
            }
        }
        return documents
    }

    /// The `cmark-gfm` command's HTML with notes' options, except footnotes: Debian's CLI has no flag
    /// for them, so documents with a footnote are left out (the count below says how many are compared).
    static func cli(_ markdown: String) throws -> String {
        let folder = try TemporaryFolder("notes-cmark")
        defer { folder.remove() }
        let input = try folder.write("in.md", markdown)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["cmark-gfm", "--unsafe", "--github-pre-lang"]
            + Markdown.extensionNames.flatMap { ["-e", $0] } + [input.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "cmark-gfm failed; ./setup.sh installs it")
        return String(decoding: data, as: UTF8.self)
    }

    @Test func notesWritesWhatTheCLIWrites() throws {
        let documents = try Self.corpus().filter { !$0.text.contains("[^") }
        #expect(documents.count >= 40)
        for document in documents {
            let notes = Markdown.html(document.text, link: { $0 }) { _, _ in .keep }
            #expect(notes == (try Self.cli(document.text)), "\(document.name)")
        }
    }

    /// Replacing blocks leaves everything around them as the CLI writes it.
    @Test func replacedBlocksLeaveTheRestAsTheCLIWritesIt() throws {
        let text = "Before *a*.\n\n## Title\n\n```swift run\nprint(1)\n```\n\nAfter <b>b</b>.\n"
        let html = Markdown.html(text, link: { $0 }) { node, inner in
            if case .heading = node.kind { return .html("<h2>\(inner())</h2>") }
            return .remove
        }
        let cli = try Self.cli(text)
        #expect(html == cli.replacingOccurrences(of: "<pre lang=\"swift\"><code>print(1)\n</code></pre>\n", with: ""))
    }
}
