import Foundation
import Testing
@testable import NotesCore

/// Write stage without the compiler: SiteWriter's folder guard and swap, OutputAcceptor on given reports.
@Suite("Write: site folder and accepted outputs")
struct WriteTests {
    // MARK: SiteWriter

    @Test func writesIntoAMissingOrEmptyFolderWithAMarker() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let writer = SiteWriter(output: folder.path("Site"))
        try writer.write(files: ["index.html": Data("<p>home</p>".utf8), "sub/page.html": Data("page".utf8)].mapValues(SiteFile.bytes), display: "Site")
        #expect(try folder.read("Site/index.html") == "<p>home</p>")
        #expect(try folder.read("Site/sub/page.html") == "page")
        #expect(folder.exists("Site/\(SiteWriter.marker)"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["Site"], "no staging folders left")

        try FileManager.default.createDirectory(at: folder.path("Empty"), withIntermediateDirectories: true)
        try SiteWriter(output: folder.path("Empty")).write(files: ["index.html": Data()].mapValues(SiteFile.bytes), display: "Empty")
        #expect(folder.exists("Empty/index.html"))
    }

    @Test func replacesAPreviousSiteWhole() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let writer = SiteWriter(output: folder.path("Site"))
        try writer.write(files: ["old.html": Data("old".utf8)].mapValues(SiteFile.bytes), display: "Site")
        try writer.write(files: ["new.html": Data("new".utf8)].mapValues(SiteFile.bytes), display: "Site")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path("Site").path).sorted()
                == [SiteWriter.marker, "new.html"])
    }

    @Test func replacingASiteNeverFollowsASymlinkOutOfIt() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("Outside/precious.txt", "keep me")
        let writer = SiteWriter(output: folder.path("Site"))
        try writer.write(files: ["index.html": Data()].mapValues(SiteFile.bytes), display: "Site")
        let fm = FileManager.default
        try fm.createSymbolicLink(atPath: folder.path("Site/linked-folder").path, withDestinationPath: folder.path("Outside").path)
        try fm.createSymbolicLink(atPath: folder.path("Site/linked-file.txt").path,
                                  withDestinationPath: folder.path("Outside/precious.txt").path)
        try writer.write(files: ["new.html": Data()].mapValues(SiteFile.bytes), display: "Site")
        #expect(try folder.read("Outside/precious.txt") == "keep me")
        #expect(try fm.contentsOfDirectory(atPath: folder.path("Site").path).sorted() == [SiteWriter.marker, "new.html"])
    }

    @Test func refusesAFolderItDidNotMake() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("Site/thesis.tex", "years of work")
        let writer = SiteWriter(output: folder.path("Site"))
        let error = try #require(throws: Diagnostic.self) {
            try writer.write(files: ["index.html": Data()].mapValues(SiteFile.bytes), display: "Site")
        }
        #expect(error.description == "Site: error: output folder is not empty and was not made by notes; refusing to replace it")
        #expect(try folder.read("Site/thesis.tex") == "years of work")
        #expect(!folder.exists("Site/index.html"))

        try folder.write("AFile", "x")
        let notAFolder = try #require(throws: Diagnostic.self) {
            try SiteWriter(output: folder.path("AFile")).checkOutputFolder(display: "AFile")
        }
        #expect(notAFolder.message == "output exists and is not a folder")
    }

    // MARK: OutputAcceptor

    /// A report as the checker makes it for a snippet that printed `output` and ended normally.
    func reports(_ page: NoteSnippets, printing outputs: [String]) -> [SnippetReport] {
        zip(page.runs, outputs).map { snippet, output in
            Checker(sanitizers: Sanitizer.defaults).check(snippet, compile: .built(binary: "examples"), runs: [
                RunResult(output: output, termination: .exited(0), duration: 0),
            ])
        }
    }

    @Test func acceptReplacesAndInsertsOutputBlocksOnly() throws {
        let text = """
        # Accept

        ```swift run id=a
        print("new")
        ```

        ```output
        old
        ```

        Between.

        ```swift run id=b
        print("b")
        ```
        Right after.
        """
        let page = try extract(text)
        let (bytes, change) = try #require(OutputAcceptor.accept(page.note.source, reports: reports(page, printing: ["new\n", "b\n"])))
        #expect(change.replaced == 1)
        #expect(change.inserted == 1)
        #expect(String(decoding: bytes, as: UTF8.self) == """
        # Accept

        ```swift run id=a
        print("new")
        ```

        ```output
        new
        ```

        Between.

        ```swift run id=b
        print("b")
        ```

        ```output
        b
        ```
        Right after.
        """)
    }

    @Test func acceptUsesALongerFenceWhenTheOutputHasBackticks() throws {
        let page = try extract("```swift run\nprint(\"```\")\n```\n")
        let (bytes, _) = try #require(OutputAcceptor.accept(page.note.source, reports: reports(page, printing: ["```\n"])))
        let accepted = String(decoding: bytes, as: UTF8.self)
        #expect(accepted.hasSuffix("\n\n````output\n```\n````\n"))
        let reparsed = try extract(accepted)
        #expect(reparsed.runs.first?.recorded?.text == "```\n")
    }

    @Test func acceptLeavesMatchingOutputsAlone() throws {
        let page = try extract("```swift run\nprint(1)\n```\n\n```output\n1   \n```\n")
        #expect(OutputAcceptor.accept(page.note.source, reports: reports(page, printing: ["1\n"])) == nil)
    }

    /// Regression (fixed): for a snippet inside a blockquote, --accept inserts a `>` line between the snippet and the new
    /// output block; SnippetExtractor does not count `>` as a blank line, so the accepted note no longer parses.
    @Test func acceptedOutputInABlockquoteStillParses() throws {
        let page = try extract("# Quote\n\n> ```swift run\n> print(1)\n> ```\n\nAfter.\n")
        let (bytes, _) = try #require(OutputAcceptor.accept(page.note.source, reports: reports(page, printing: ["1\n"])))
        let accepted = String(decoding: bytes, as: UTF8.self)
        #expect(accepted == "# Quote\n\n> ```swift run\n> print(1)\n> ```\n>\n> ```output\n> 1\n> ```\n\nAfter.\n")
        let reparsed = try extract(accepted)
        #expect(reparsed.runs.first?.recorded?.text == "1\n")
        
    }
}
