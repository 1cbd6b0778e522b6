import Foundation
import Testing
@testable import NotesCore

/// The rendered HTML of one fixture note (`01-basics.md` of FixtureCourse, with its real snippet output)
/// compared with `Golden/basic.html`, ignoring only trailing whitespace.
///
/// When a rendering change is intended, regenerate the file (that run fails, so it never passes by rewriting)
/// and review the diff before committing:
///
///     NOTES_UPDATE_GOLDEN=1 swift test --scratch-path .build-tests --filter GoldenTests
///     git diff Tests/NotesCoreTests/Render/Golden/
extension Compiling {
    @Suite("Golden HTML")
    struct GoldenTests {
        static let goldenName = "basic.html"

        /// The file in the source tree, which is where updates go (the bundle holds a copy made at build time).
        static var sourceURL: URL {
            URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .appendingPathComponent("Golden").appendingPathComponent(goldenName)
        }

        /// Trailing whitespace at line ends and at the end of the file is all that is ignored.
        static func normalized(_ html: String) -> String {
            var lines = html.split(separator: "\n", omittingEmptySubsequences: false).map { line -> Substring in
                var line = line
                while let last = line.last, last == " " || last == "\t" || last == "\r" { line.removeLast() }
                return line
            }
            while lines.last == "" { lines.removeLast() }
            return lines.joined(separator: "\n")
        }

        @Test func basicPageMatchesGolden() async throws {
            let html = try await FixtureCourse.built.value.page("01-basics.html")
            if try rewroteGolden(Self.normalized(html) + "\n", at: Self.sourceURL) { return }
            let bundled = Bundle.module.url(forResource: "basic", withExtension: "html", subdirectory: "Golden")
            let url = try #require(bundled, "Golden/\(Self.goldenName) is missing; run with NOTES_UPDATE_GOLDEN=1 to create it")
            let golden = try String(contentsOf: url, encoding: .utf8)
            let (expected, actual) = (Self.normalized(golden), Self.normalized(html))
            if expected != actual {
                let diff = OutputMatcher(sanitizers: []).diff(actual: actual, expected: expected, header: "Golden/\(Self.goldenName)")
                let changed = diff.split(separator: "\n").filter { $0.hasPrefix("- ") || $0.hasPrefix("+ ") }
                Issue.record("""
                rendered 01-basics.html differs from Golden/\(Self.goldenName) \
                (if intended: NOTES_UPDATE_GOLDEN=1 swift test --filter GoldenTests):
                \(changed.prefix(40).joined(separator: "\n"))
                """)
            }
        }
    }
}
