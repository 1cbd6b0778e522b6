import Foundation
import Testing
@testable import NotesCore

/// Notes written in a hurry: each bad input gets a one-line diagnostic at its file:line, or a sensible
/// page, and never a trap; the rest of the course still builds.
@Suite("Bad input: hurried notes never crash the build")
struct BadInputTests {
    static let good = "---\ntitle: Good\n---\n# Good\n\nStill here.\n"

    @Test func emptyNoteBecomesAPageNamedAfterItsFile() async throws {
        let course = try await BuiltCourse.build(notes: ["empty.md": "", "good.md": Self.good])
        #expect(course.result.diagnostics.isEmpty, "\(course.result.diagnostics)")
        #expect(try course.page("empty.html").contains("<h1>empty</h1>"), "the title falls back to the file name")
        #expect(try course.page("good.html").contains("Still here."))
    }

    @Test func twentyMegabyteNoteBuilds() async throws {
        let paragraph = "A paragraph about threads, with `code`, *emphasis* and a [link](good.md#good).\n\n"
        let big = "# Big\n\n" + String(repeating: paragraph, count: 20_000_000 / paragraph.utf8.count)
        let course = try await BuiltCourse.build(notes: ["big.md": big, "good.md": Self.good])
        #expect(course.result.diagnostics.isEmpty)
        #expect(try course.page("big.html").utf8.count > 20_000_000)
    }

    @Test(arguments: ["> ", "- ", "1. ", "* > "])
    func tenThousandNestedLevelsDoNotOverflowTheStack(_ marker: String) async throws {
        let deep = "# Deep\n\n" + String(repeating: marker, count: 10_000) + "bottom\n\n```swift\nlet x = 1\n```\n"
        let course = try await BuiltCourse.build(notes: ["deep.md": deep, "good.md": Self.good])
        #expect(course.result.diagnostics.isEmpty, "\(course.result.diagnostics)")
        #expect(try course.page("deep.html").contains("bottom"))
        #expect(try course.page("good.html").contains("Still here."))
    }

    @Test func unterminatedFenceIsWarnedAboutAtItsOpeningLine() async throws {
        let note = "# Open\n\nText.\n\n```swift\nlet x = 1\n\nMore text that was meant as prose.\n"
        let result = try await verify(notes: ["open.md": note, "good.md": Self.good])
        #expect(result.diagnostics.map(\.description) == [
            "Content/open.md:5: warning: this code fence is never closed, so the rest of the note is code; close it with ```",
        ])
    }

    @Test func closedFencesAreNotWarnedAbout() async throws {
        let note = "# Closed\n\n````swift\n```\ninner\n```\n````\n\n~~~\ntext\n~~~~~\n\n- item\n\n  ```\n  in a list\n  ```\n"
        let result = try await verify(notes: ["closed.md": note])
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
    }

    @Test func symlinkLoopInTheContentFolderIsSkipped() async throws {
        let folder = try TemporaryFolder("notes-loop")
        defer { folder.remove() }
        try folder.write("Content/good.md", Self.good)
        try FileManager.default.createSymbolicLink(atPath: folder.path("Content/loop").path, withDestinationPath: ".")
        try FileManager.default.createSymbolicLink(atPath: folder.path("Content/a").path, withDestinationPath: "b")
        try FileManager.default.createSymbolicLink(atPath: folder.path("Content/b").path, withDestinationPath: "a")
        let options = PipelineOptions(contentDirectory: folder.path("Content"), displayPrefix: "Content",
                                      output: folder.path("Site"))
        let result = await offThePool { Pipeline.run(options) }
        #expect(result.pages.map(\.note.source.relativePath) == ["good.md"])
        #expect(result.succeeded, "\(result.diagnostics)")
        #expect(folder.exists("Site/good.html"))
    }

    @Test func namesThatNeedEscapingInURLsAreLinkedEscaped() async throws {
        let name = "02 locks #1 & más?.md"
        let note = "---\ntitle: Locks\n---\n# Locks\n\nSee [home](index.md).\n"
        // In a link, `#` and `?` in a file name are written escaped, as in any URL.
        let home = "# Home\n\nGo to [the locks](<02 locks %231 & más%3F.md#locks>).\n"
        let course = try await BuiltCourse.build(notes: [name: note, "index.md": home])
        #expect(course.result.diagnostics.isEmpty, "\(course.result.diagnostics)")
        let page = "02 locks #1 & más?.html"
        #expect(course.site[page] != nil, "pages: \(course.site.keys.sorted())")
        let escaped = "02%20locks%20%231%20&amp;%20m%C3%A1s%3F.html"
        let index = try course.page("index.html")
        #expect(index.contains("href=\"\(escaped)#locks\""), "the note's link")
        #expect(index.contains("href=\"\(escaped)\""), "the sidebar's link")
    }
}
