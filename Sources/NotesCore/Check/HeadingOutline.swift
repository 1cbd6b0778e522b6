/// Headings must go down one level at a time: screen readers and the table of contents both read
/// the outline, and a jump from `##` to `####` leaves a hole in it. Warnings, not errors: the page still builds.
public enum HeadingOutline {
    public static func check(_ notes: [Note]) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        for note in notes {
            // A note without a level-1 heading gets its title as one at the top of the page.
            var previous = note.headings.contains { $0.level == 1 } ? 0 : 1
            for heading in note.headings {
                if heading.level > previous + 1 {
                    let after = previous == 0 ? "at the start of the note" : "after a level-\(previous) heading"
                    problems.append(Diagnostic(
                        file: note.source.displayPath, line: heading.line, severity: .warning,
                        "heading '\(heading.text)' is level \(heading.level) \(after); use level \(previous + 1) so the outline has no gap"))
                }
                previous = heading.level
            }
        }
        return problems
    }
}
