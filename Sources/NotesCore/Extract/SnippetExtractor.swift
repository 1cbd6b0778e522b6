/// Extract stage: a note's code blocks in, its snippets out, with the fence contract checked.
public enum SnippetExtractor {
    public static func extract(_ note: Note) throws -> NoteSnippets {
        let file = note.source.displayPath
        var setup: [Snippet] = []
        var runs: [Snippet] = []
        let bodyLines = note.body.lines
        var previous: CodeBlock?

        for block in note.codeBlocks {
            defer { previous = block }
            switch block.language {
            case "output":
                guard let last = runs.last, let prev = previous, prev.line == last.line,
                      onlyBlankLines(bodyLines, after: prev.endLine - note.bodyLineOffset,
                                     before: block.line - note.bodyLineOffset) else {
                    throw Diagnostic(file: file, line: block.line,
                                     "output block does not follow a `swift run` snippet (only blank lines may come between)")
                }
                runs[runs.count - 1].recorded = RecordedOutput(text: block.code, line: block.line, endLine: block.endLine)
            case "swift":
                let options = try FenceOptions.parse(block.info, file: file, line: block.line)
                guard options.role != .display else { continue }
                guard block.fenced else { continue }
                let index = options.role == .run ? runs.count + 1 : setup.count + 1
                let fallback = options.role == .run ? "\(note.source.slug)-\(index)" : "\(note.source.slug)-setup-\(index)"
                let snippet = Snippet(id: options.id ?? fallback, page: note.source.relativePath, file: file,
                                      line: block.line, endLine: block.endLine, options: options, code: block.code)
                if options.role == .run { runs.append(snippet) } else { setup.append(snippet) }
            default:
                continue
            }
        }
        try checkSessions(runs, file: file)
        return NoteSnippets(note: note, setup: setup, runs: runs)
    }

    /// A session runs as one program, so its snippets must agree on how it is compiled,
    /// and only its last snippet may expect the program to end badly.
    private static func checkSessions(_ runs: [Snippet], file: String) throws {
        let sessions = Dictionary(grouping: runs.filter { $0.options.session != nil }, by: { $0.options.session! })
        for (name, members) in sessions {
            if let odd = members.first(where: { $0.options.swift5 != members[0].options.swift5 }) {
                throw Diagnostic(file: file, line: odd.line, "session '\(name)': every snippet must agree on swift5")
            }
            if let early = members.dropLast().first(where: { $0.options.expectation != .success }) {
                throw Diagnostic(file: file, line: early.line,
                                 "session '\(name)': only the last snippet of a session may use expect=")
            }
        }
    }

    private static func onlyBlankLines(_ lines: [Substring], after: Int, before: Int) -> Bool {
        guard after < before else { return false }
        // cmark's lines are 1-based; lines strictly between the two blocks.
        let between = lines.indices.filter { $0 + 1 > after && $0 + 1 < before }
        // Inside a blockquote the empty line between two blocks is a lone `>`.
        return between.allSatisfy { $0 < lines.count && lines[$0].allSatisfy { " \t\r>".contains($0) } }
    }
}
