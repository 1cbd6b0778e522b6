import Foundation
import Testing
@testable import NotesCore

/// The pipeline's checks that need no compiler: links, the output folder guard, broken notes.
@Suite("Pipeline: links, output folder, broken notes")
struct PipelineTests {
    @Test func brokenLinksAreReportedAtTheirLines() async throws {
        let first = """
        ---
        title: First
        ---
        # First

        A [good link](second.md#part-two) and a [good page](second.md).
        A [missing note](nowhere.md) here,
        and a [missing anchor](second.md#no-such-heading) there.
        In a list:

        - [also missing](sub/gone.md)
        """
        let second = "# Second\n\n## Part two\n\nBack to [the first](first.md#first).\n"
        let result = try await verify(notes: ["first.md": first, "second.md": second])
        #expect(result.diagnostics.map(\.description) == [
            "Content/first.md:\(line(of: "[missing note]", in: first)): error: broken link: no note 'nowhere.md'",
            "Content/first.md:\(line(of: "[missing anchor]", in: first)): error: broken link: 'second.md' has no heading with anchor '#no-such-heading'",
            "Content/first.md:\(line(of: "[also missing]", in: first)): error: broken link: no note 'sub/gone.md'",
        ])
        #expect(result.compilerInvocations == 0)
        #expect(!result.succeeded)
    }

    @Test func relativeLinksBetweenFolders() async throws {
        let result = try await verify(notes: [
            "part1/a.md": "# A\n\nSee [b](../part2/b.md#b) and [c](./c.md).\n",
            "part1/c.md": "# C\n",
            "part2/b.md": "# B\n\nSee [a](../part1/a.md), and [x](../part1/x.md).\n",
        ])
        #expect(result.diagnostics.map(\.description) == ["Content/part2/b.md:3: error: broken link: no note '../part1/x.md'"])
    }

    @Test func imagesMustExistAndShouldHaveAltText() async throws {
        let note = "# Pictures\n\n![A diagram](img/diagram.png)\n\n![](img/diagram.png)\n\n![Gone](img/gone.png)\n"
        let result = try await verify(notes: ["pictures.md": note], files: ["img/diagram.png": "png bytes"])
        #expect(result.diagnostics.map(\.description) == [
            "Content/pictures.md:5: warning: image 'img/diagram.png' has no alt text",
            "Content/pictures.md:7: error: missing file: 'img/gone.png' is not in the content folder",
        ])
    }

    @Test func headingsThatSkipALevelAreWarnedAbout() async throws {
        let note = "# Locks\n\n### Too deep\n\n## Fine\n\n### Also fine\n\n# Another top\n\n#### Gap again\n"
        let result = try await verify(notes: ["locks.md": note, "titled.md": "---\ntitle: T\n---\n## Part\n\n#### Deep\n"])
        #expect(result.diagnostics.map(\.description) == [
            "Content/locks.md:3: warning: heading 'Too deep' is level 3 after a level-1 heading; use level 2 so the outline has no gap",
            "Content/locks.md:11: warning: heading 'Gap again' is level 4 after a level-1 heading; use level 2 so the outline has no gap",
            "Content/titled.md:6: warning: heading 'Deep' is level 4 after a level-2 heading; use level 3 so the outline has no gap",
        ])
        #expect(result.succeeded, "warnings do not fail a build")
    }

    /// Options for building `folder`/Content into `folder`/Site.
    static func building(_ folder: TemporaryFolder) -> PipelineOptions {
        var options = PipelineOptions(contentDirectory: folder.path("Content"), displayPrefix: "Content",
                                      output: folder.path("Site"))
        options.outputDisplay = "Site"
        return options
    }

    @Test func outputFolderThatIsNotASiteIsRefusedAndLeftAlone() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("Content/note.md", "# Note\n\n```swift run\nprint(1)\n```\n")
        try folder.write("Site/keep.txt", "precious\n")
        try folder.write("Site/sub/also.txt", "also precious\n")
        let configured = Self.building(folder)
        let result = await offThePool { Pipeline.run(configured) }
        #expect(result.diagnostics.map(\.description)
                == ["Site: error: output folder is not empty and was not made by notes; refusing to replace it"])
        #expect(result.pagesWritten == 0)
        #expect(result.compilerInvocations == 0, "nothing is compiled for a site that cannot be written")
        #expect(try folder.read("Site/keep.txt") == "precious\n")
        #expect(try folder.read("Site/sub/also.txt") == "also precious\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path("Site").path).sorted() == ["keep.txt", "sub"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path).sorted() == ["Content", "Site"],
                "no staging folder is left beside it")
    }

    @Test func aBrokenNoteIsReportedAndTheOthersGoOn() async throws {
        let result = try await verify(notes: [
            "a.md": "---\ntitle: A\norder: first\n---\n# A\n",
            "b.md": "# B\n\n```swift run nonsense\nprint(1)\n```\n",
            "c.md": "# C\n\nText only.\n",
        ])
        #expect(result.diagnostics.map(\.file) == ["Content/a.md", "Content/b.md"])
        #expect(result.diagnostics.map(\.line) == [3, 3])
        #expect(result.pages.map(\.note.source.relativePath) == ["c.md"])
    }

    /// `verify` reads every note it can; a build that could not read one keeps the site it had, rather
    /// than one without that page (a preview would lose the page being edited at the first typo).
    @Test func aBuildWithANoteItCannotReadLeavesTheSiteAsItWas() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("Content/a.md", "# A\n\nFirst.\n")
        try folder.write("Content/b.md", "# B\n\n```swift\nlet b = 1\n```\n")
        let configured = Self.building(folder)
        #expect(await offThePool { Pipeline.run(configured) }.pagesWritten == 2)
        let before = try folder.read("Site/b.html")

        try folder.write("Content/a.md", "# A\n\nSecond.\n")
        try folder.write("Content/b.md", "# B\n\n```swift run nonsense\nlet b = 1\n```\n")
        let broken = await offThePool { Pipeline.run(configured) }
        #expect(broken.diagnostics.map(\.description).map { $0.prefix(42) } == [
            "Content/b.md:3: error: unknown word 'nonse", "Site: note: not written, since a note coul",
        ])
        #expect(!broken.succeeded && broken.pagesWritten == 0)
        #expect(try folder.read("Site/b.html") == before)
        #expect(try folder.read("Site/a.html").contains("First."))

        try folder.write("Content/b.md", "# B\n\n```swift\nlet b = 2\n```\n")
        #expect(await offThePool { Pipeline.run(configured) }.pagesWritten == 2, "fixed, it is written again")
        #expect(try folder.read("Site/a.html").contains("Second."))
    }

    @Test func duplicateIdsAcrossPagesAreReported() async throws {
        // The filter matches nothing, so nothing is compiled; the id check happens before that.
        let result = try await verify(notes: [
            "a.md": "# A\n\n```swift run id=same\nprint(1)\n```\n",
            "b.md": "# B\n\n\n```swift run id=same\nprint(2)\n```\n",
        ], filter: "matches-nothing")
        #expect(result.diagnostics.map(\.description)
                == ["Content/b.md:4: error: snippet id 'same' is already used at Content/a.md:3"])
        #expect(result.compilerInvocations == 0)
        #expect(result.summary == "0 passed, 0 failed, 1 skipped")
    }
}
