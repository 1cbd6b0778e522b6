import Foundation

/// `verify --accept`: writes real outputs back into the notes.
/// Only `output` blocks change (replaced when they differ, inserted when missing); every other byte
/// of the note stays as it was, line endings included. A snippet whose expectation failed
/// (a compile error where none was expected, a timeout) is never recorded as if it were right.
public enum OutputAcceptor {
    public struct Change: Sendable {
        public var file: String
        public var replaced: Int
        public var inserted: Int
    }

    /// The new text of one note, or nil when nothing changes.
    public static func accept(_ source: SourceFile, reports: [SnippetReport]) -> (bytes: [UInt8], change: Change)? {
        var lines = splitKeepingEndings(source.bytes)
        var change = Change(file: source.displayPath, replaced: 0, inserted: 0)
        // Output that names this note's lines (compiler messages, traps) names them as they will be once
        // the blocks above have grown or shrunk, so that accepting once is enough.
        var edits: [(after: Int, delta: Int)] = []
        func shifted(_ output: String) -> String {
            shiftLines(in: output, file: source.relativePath) { line in
                line + edits.filter { $0.after < line }.reduce(0) { $0 + $1.delta }
            }
        }
        for report in reports.sorted(by: { $0.snippet.line < $1.snippet.line }) where !report.skipped {
            if let recorded = report.snippet.recorded, report.diff != nil {
                edits.append((recorded.endLine, lineCount(report.output) + 2 - (recorded.endLine - recorded.line + 1)))
            } else if report.snippet.recorded == nil, report.verdict == .unrecorded {
                edits.append((report.snippet.endLine, lineCount(report.output) + 3))
            }
        }
        // From the bottom up, so earlier line numbers stay valid.
        for report in reports.sorted(by: { $0.snippet.line > $1.snippet.line }) where !report.skipped {
            let snippet = report.snippet
            if let recorded = snippet.recorded {
                guard report.diff != nil, recorded.endLine > recorded.line, recorded.endLine <= lines.count else { continue }
                let fence = lines[recorded.line - 1]
                let prefix = linePrefix(fence)
                let newBlock = outputBlock(shifted(report.output), prefix: prefix, ending: ending(of: fence), fenceLength: nil)
                lines.replaceSubrange((recorded.line - 1)..<recorded.endLine, with: newBlock)
                change.replaced += 1
            } else if report.verdict == .unrecorded, snippet.endLine <= lines.count {
                let fence = lines[snippet.endLine - 1]
                let prefix = linePrefix(lines[snippet.line - 1])
                let eol = ending(of: fence)
                var insertion = [Array(prefix.trimmingTrailingBlanks.utf8) + eol]
                insertion += outputBlock(shifted(report.output), prefix: prefix, ending: eol, fenceLength: nil)
                let at = snippet.endLine
                if at == lines.count, ending(of: lines[at - 1]).isEmpty { lines[at - 1] += eol.isEmpty ? [10] : eol }
                lines.insert(contentsOf: insertion, at: at)
                change.inserted += 1
            }
        }
        guard change.replaced + change.inserted > 0 else { return nil }
        return (lines.flatMap { $0 }, change)
    }

    /// Lines of an output block's body, as `outputBlock` writes them.
    private static func lineCount(_ output: String) -> Int { bodyLines(output).count }

    /// The output's lines as an output block holds them: without the trailing empty ones.
    private static func bodyLines(_ output: String) -> [String] {
        var body = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        while body.last?.isEmpty == true { body.removeLast() }
        return body
    }

    /// `page.md:41` in `output` (after the start of a line, a space or a `/`) with 41 replaced by `map(41)`.
    static func shiftLines(in output: String, file: String, _ map: (Int) -> Int) -> String {
        var result = ""
        var rest = Substring(output)
        let needle = file + ":"
        while let range = rest.range(of: needle) {
            let before = rest[..<range.lowerBound]
            let digits = rest[range.upperBound...].prefix(while: \.isASCII).prefix(while: \.isNumber)
            let boundary = before.last.map { $0 == "/" || $0 == " " || $0 == "\n" } ?? (result.isEmpty || result.last == "\n")
            result += before + needle
            rest = rest[range.upperBound...]
            if boundary, let line = Int(digits) {
                result += String(map(line))
                rest = rest.dropFirst(digits.count)
            }
        }
        return result + rest
    }

    /// Writes the accepted notes, skipping any that changed on disk since they were read.
    public static func write(_ pages: [NoteSnippets], reports: [SnippetReport], contentDirectory: URL,
                             beforeRename: () throws -> Void = {}) -> (changes: [Change], problems: [Diagnostic]) {
        let byPage = Dictionary(grouping: reports, by: \.snippet.page)
        var changes: [Change] = []
        var problems: [Diagnostic] = []
        for page in pages {
            let source = page.note.source
            guard let (bytes, change) = accept(source, reports: byPage[source.relativePath] ?? []) else { continue }
            let url = contentDirectory.appendingPathComponent(source.relativePath)
            guard let current = FileManager.default.contents(atPath: url.path), [UInt8](current) == source.bytes else {
                problems.append(Diagnostic(file: source.displayPath, "changed on disk during the run; not overwritten"))
                continue
            }
            do {
                try AtomicFile.write(Data(bytes), to: url, beforeRename: beforeRename)
                changes.append(change)
            } catch {
                problems.append(Diagnostic(file: source.displayPath, "cannot write: \(error)"))
            }
        }
        return (changes, problems)
    }

    private static func outputBlock(_ output: String, prefix: String, ending: [UInt8], fenceLength: Int?) -> [[UInt8]] {
        let body = bodyLines(output)
        let longest = body.map { $0.prefix(while: { $0 == "`" }).count }.max() ?? 0
        let fence = String(repeating: "`", count: max(3, longest + 1))
        let eol = ending.isEmpty ? Array("\n".utf8) : ending
        return ([fence + "output"] + body + [fence]).map { Array((prefix + $0).utf8) + eol }
    }

    /// What stands before a fence: indentation and blockquote markers, kept for the output block.
    private static func linePrefix(_ line: [UInt8]) -> String {
        let text = String(decoding: line, as: UTF8.self)
        return String(text.prefix { $0 == " " || $0 == ">" || $0 == "\t" })
    }

    private static func ending(of line: [UInt8]) -> [UInt8] {
        if line.suffix(2) == [13, 10] { return [13, 10] }
        if line.last == 10 { return [10] }
        return []
    }

    static func splitKeepingEndings(_ bytes: [UInt8]) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        var current: [UInt8] = []
        for byte in bytes {
            current.append(byte)
            if byte == 10 {
                lines.append(current)
                current = []
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}

private extension String {
    var trimmingTrailingBlanks: String {
        var s = self
        while s.last == " " || s.last == "\t" { s.removeLast() }
        return s
    }
}
