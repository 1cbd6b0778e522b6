import Testing
@testable import NotesCore

/// One note from bytes to a page without the compiler: what a preview shows and what the fuzzer drives.
@Suite("Render: page preview")
struct PagePreviewTests {
    @Test func snippetsAreShownAsNotRun() throws {
        let page = try PagePreview.render(sourceFile("""
        ---
        title: Locks
        ---
        ```swift run id=counter
        print("counted")
        ```

        ```output
        recorded-line
        ```
        """, path: "02-locks.md"), config: CourseConfig.parse("title: My course", file: "notes.yaml"))
        #expect(page.path == "02-locks.html")
        #expect(page.html.contains(#"id="snippet-counter""#))
        #expect(page.html.contains("not run"))
        #expect(page.html.contains("<title>Locks · My course</title>"))
        // Not run, so nothing replaces the recorded block: it is left out as in a filtered build.
        #expect(!page.html.contains("recorded-line"))
    }

    @Test func aBrokenNoteThrowsTheDiagnosticVerifyWouldReport() {
        #expect(throws: Diagnostic(file: "Content/02-locks.md", line: 3, "expect 'sometimes' is not one of compile-error, crash, failure, timeout, race, success")) {
            try PagePreview.render(sourceFile("# Locks\n\n```swift run expect=sometimes\nprint(1)\n```\n", path: "02-locks.md"))
        }
        #expect(throws: Diagnostic(file: "Content/02-locks.md", "not valid UTF-8")) {
            try PagePreview.render(SourceFile(relativePath: "a.md", displayPath: "Content/02-locks.md", bytes: [0x23, 0xFF]))
        }
    }
}
