/// A fence that is never closed swallows the rest of the note as code. CommonMark allows it, so it is a
/// warning, but it is almost always a forgotten ```.
public enum UnclosedFence {
    public static func check(_ notes: [Note]) -> [Diagnostic] {
        notes.flatMap { note in
            note.codeBlocks.filter { $0.fenced && !$0.closed }.map { block in
                Diagnostic(file: note.source.displayPath, line: block.line, severity: .warning,
                           "this code fence is never closed, so the rest of the note is code; close it with ```")
            }
        }
    }
}
