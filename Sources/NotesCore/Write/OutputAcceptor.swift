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
        // From the bottom up, so earlier line numbers stay valid.
        for report in reports.sorted(by: { $0.snippet.line > $1.snippet.line }) where !report.skipped {
            let snippet = report.snippet
            if let recorded = snippet.recorded {
                guard report.diff != nil, recorded.endLine > recorded.line, recorded.endLine <= lines.count else { continue }
                let fence = lines[recorded.line - 1]
                let prefix = linePrefix(fence)
                let newBlock = outputBlock(report.output, prefix: prefix, ending: ending(of: fence), fenceLength: nil)
                lines.replaceSubrange((recorded.line - 1)..<recorded.endLine, with: newBlock)
                change.replaced += 1
            } else if report.verdict == .unrecorded, snippet.endLine <= lines.count {
                let fence = lines[snippet.endLine - 1]
                let prefix = linePrefix(lines[snippet.line - 1])
                let eol = ending(of: fence)
                var insertion = [Array(prefix.trimmingTrailingBlanks.utf8) + eol]
                insertion += outputBlock(report.output, prefix: prefix, ending: eol, fenceLength: nil)
                let at = snippet.endLine
                if at == lines.count, ending(of: lines[at - 1]).isEmpty { lines[at - 1] += eol.isEmpty ? [10] : eol }
                lines.insert(contentsOf: insertion, at: at)
                change.inserted += 1
            }
        }
        guard change.replaced + change.inserted > 0 else { return nil }
        return (lines.flatMap { $0 }, change)
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
        var body = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        while body.last?.isEmpty == true { body.removeLast() }
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
