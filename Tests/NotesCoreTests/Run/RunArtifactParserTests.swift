import Dispatch
import Foundation
import Testing
@testable import NotesCore
#if canImport(Glibc)
import Glibc
#endif

/// What notes reads after a run, which the program could have written, forged or cut short (issue 23):
/// ThreadSanitizer's logs (RaceReport), the timeline file (Timeline, drawn by TimelineSVG), gdb's
/// thread dump (ThreadDump), the symbolizer's and demangler's answers (Symbols), and the reads
/// themselves (BoundedFile). The fixtures are real recordings (Logs/RecordedRunLogs.swift); each is
/// parsed whole, cut short anywhere, and made hostile. No compiler, no gdb: the tools' answers are
/// replayed from recordings by small scripts.
@Suite("Run: parsing what a run leaves behind (TSan logs, timelines, gdb dumps, tool output, bounded reads)")
struct RunArtifactParserTests {
    // MARK: Helpers

    /// The first `count` bytes of `text`, decoded as BoundedFile decodes them (a cut character is U+FFFD).
    static func prefix(_ text: String, bytes count: Int) -> String {
        String(decoding: Array(text.utf8.prefix(count)), as: UTF8.self)
    }

    /// Byte offsets to cut `text` at: every line end and the bytes either side of it, and every 41st byte.
    static func cutPoints(_ text: String) -> [Int] {
        let bytes = Array(text.utf8)
        var points = Set(stride(from: 0, through: bytes.count, by: 41))
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            points.formUnion([index, index + 1, index + 2].filter { $0 <= bytes.count })
        }
        return points.sorted()
    }

    /// The whole lines of `text`: up to and with its last newline.
    static func wholeLines(_ text: String) -> String {
        guard let last = text.lastIndex(of: "\n") else { return "" }
        return String(text[...last])
    }

    /// A stand-in for llvm-symbolizer or swift-demangle answering from recordings: a shell script that
    /// skips `--` options and, for each other argument, prints the recorded lines, else runs `otherwise`
    /// (where `$a` is the argument).
    static func replayTool(_ answers: [String: [String]], otherwise: String, in folder: TemporaryFolder,
                           name: String, prelude: String = "") throws -> String {
        func quoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: #"'\''"#) + "'" }
        var script = "#!/bin/sh\n\(prelude)for a in \"$@\"; do\n  case \"$a\" in\n    --*) ;;\n"
        for (argument, lines) in answers.sorted(by: { $0.key < $1.key }) {
            script += "    \(quoted(argument))) printf '%s\\n' \(lines.map(quoted).joined(separator: " ")) ;;\n"
        }
        script += "    *) \(otherwise) ;;\n  esac\ndone\n"
        let url = try folder.write(name, script)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        return url.path
    }

    /// The recorded tools: a symbolizer (a block per address, `??` for one it does not know, as the real
    /// one answers) and a demangler (names it does not know come back as they are).
    static func recordedSymbols(_ symbolizer: [String: [String]], in folder: TemporaryFolder) throws -> Symbols {
        let symbolize = try replayTool(symbolizer.mapValues { $0 + [""] }, otherwise: #"printf '%s\n' '??' '??:0:0' ''"#,
                                       in: folder, name: "llvm-symbolizer")
        let demangle = try replayTool(RecordedRunLogs.demangler.mapValues { [$0] }, otherwise: #"printf '%s\n' "$a""#,
                                      in: folder, name: "swift-demangle")
        return Symbols(demangler: demangle, symbolizer: symbolize)
    }

    /// Every tag in `html` is one the drawing makes, and every `&` starts an entity: no markup of a
    /// label, lane or title got through.
    static func expectOnlyOwnMarkup(_ html: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let tags: Set<String> = ["figure", "svg", "title", "desc", "g", "rect", "line", "text", "figcaption", "p"]
        for piece in html.components(separatedBy: "<").dropFirst() {
            let name = String(piece.drop { $0 == "/" }.prefix { $0.isLetter })
            #expect(tags.contains(name), "unexpected tag <\(name.prefix(40))", sourceLocation: sourceLocation)
        }
        for piece in html.components(separatedBy: "&").dropFirst() {
            #expect(["lt;", "gt;", "amp;", "quot;", "#39;"].contains { piece.hasPrefix($0) },
                    "a bare & before \(piece.prefix(20).debugDescription)", sourceLocation: sourceLocation)
        }
        #expect(!html.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "a control character reached the SVG",
                sourceLocation: sourceLocation)
        for number in ["=\"nan", "=\"-nan", "=\"inf", "=\"-inf"] {
            #expect(!html.contains(number), "a number that is not one", sourceLocation: sourceLocation)
        }
    }
}
