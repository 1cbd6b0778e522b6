import Testing
import Foundation
@testable import NotesCore

func src(_ t: String, _ p: String = "note.md") -> SourceFile { SourceFile(relativePath: p, displayPath: "Content/\(p)", bytes: Array(t.utf8)) }

@Test func probe() throws {
    let n = try NoteParser.parse(src("# A\n\n## A\n\n## A 1\n\n## A\n"))
    print("ANCHORS", n.headings.map(\.anchor))
    for yaml in ["---\ntitle: Locks\ndesc: a: b\n---\n", "---\ntitle: [1, 2\norder: 3\n---\n", "---\ntitle: \"open\norder: 3\n---\n", "---\n- a\n- b\n---\n", "---\ntitle: x\norder: abc\n---\n", "---\ntitle: x\n  bad: indent\n---\n", "---\ntitle: x\n\tbad: 1\n---\n"] {
        do { _ = try NoteParser.parse(src(yaml)); print("YAML OK", yaml.debugDescription) } catch { print("YAML", yaml.debugDescription, "→", error) }
    }
    let l = try NoteParser.parse(src("---\ntitle: t\n---\nfirst line of paragraph\nsecond [x](missing.md) line\nthird ![img](a.png)\n\n- item\n  more [y](b.md#c)\n"))
    print("LINKS", l.links)
    let q = "> ```swift run\n> print(1)\n> ```\n>\n> ```output\n> 1\n> ```\n"
    do { let s = try SnippetExtractor.extract(try NoteParser.parse(src(q))); print("QUOTE", s.runs.map(\.recorded)) } catch { print("QUOTE ERR", error) }
    let crlf = "---\r\ntitle: Win\r\norder: 2\r\n---\r\n# Head\r\n\r\n```swift run\r\nprint(1)\r\n```\r\n\r\n```output\r\n1\r\n```\r\n"
    do { let s = try SnippetExtractor.extract(try NoteParser.parse(src(crlf))); print("CRLF", s.note.title.debugDescription, s.note.order as Any, s.runs.map { ($0.line, $0.code.debugDescription, $0.recorded.debugDescription, $0.options) }, s.note.headings) } catch { print("CRLF ERR", error) }
    let tab = try NoteParser.parse(src("```swift\trun\nprint(1)\n```\n"))
    print("TAB", tab.codeBlocks, try SnippetExtractor.extract(tab).runs.count)
    let dendron = "---\nid: 4x9rmd2kq0a1b2c3\ntitle: Locks\ndesc: ''\nupdated: 1752649728068\ncreated: 1752649728068\n---\n# Other\n"
    let d = try NoteParser.parse(src(dendron)); print("DENDRON", d.title, d.desc.debugDescription, d.order as Any, d.bodyLineOffset)
    do { _ = try CourseConfig.parse("title: x\ntitel: y\n", file: "Content/notes.yaml") } catch { print("CONFIG", error) }
    do { _ = try CourseConfig.parse("title: x\ntimeout: 0\n", file: "Content/notes.yaml") } catch { print("CONFIG", error) }
    do { _ = try CourseConfig.parse("sanitizers:\n  - pattern: '(('\n    replacement: x\n", file: "Content/notes.yaml") } catch { print("CONFIG", error) }
    let m = OutputMatcher()
    print("M", m.matches(actual: "took 12 ms\n", expected: "took 0.53s"), m.matches(actual: "1.2 µs", expected: "<duration>"), m.matches(actual: "at 0x7ffd5f2c", expected: "at 0x1234abcd"))
    print("CLEAN", SnippetRunner.clean("a\nFatal error: x\nCurrent stack trace:\n0    libswiftCore.so 0x00007f 1\n1    x 0x0000 2\nafter\n").debugDescription)
}
