/// One note from its bytes to its page without compiling or running anything: the pipeline's load,
/// parse, extract and render stages for a single note, its snippets shown as "not run".
/// It is what a live preview needs while a note is written, and what the fuzzer drives (`Fuzz/run.sh`).
public enum PagePreview {
    /// Throws the note's first problem as a `Diagnostic`, as `notes verify` would report it.
    /// The page's navigation holds only this note: the rest of the course is not read.
    public static func render(_ file: SourceFile, config: CourseConfig = CourseConfig()) throws -> PageRenderer.Page {
        let page = try SnippetExtractor.extract(try NoteParser.parse(file))
        let course = Course(title: config.title, author: config.author, notes: [page.note])
        return PageRenderer(course: course).render(page.note, reports: page.runs.map(SnippetReport.notRun))
    }
}
