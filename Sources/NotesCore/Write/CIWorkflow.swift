import Foundation

/// The GitHub Actions workflow `notes init --github-workflow` writes into a course repository: notes
/// is built once per version and cached; the snippets are verified in parallel shards, each restoring its
/// own `.notes-cache`; the shards' JUnit reports are merged into one, which fails if any shard failed; and
/// the site is published to GitHub Pages from the main branch.
public enum CIWorkflow {
    public static let path = ".github/workflows/notes.yml"

    /// `content` is the course folder as the repository names it; `shards` how many runners verify it.
    /// The workflow is a template beside this file (`Templates/github-workflow.yml`) with `@NAME@` holes.
    public static func yaml(content: String, shards: Int = 4) throws -> String {
        guard let url = Bundle.module.url(forResource: "github-workflow", withExtension: "yml", subdirectory: "Templates"),
              let template = try? String(contentsOf: url, encoding: .utf8) else {
            throw Diagnostic(file: "github-workflow.yml", "the workflow template is missing from notes' resources")
        }
        return template.replacingOccurrences(of: "@NOTES_VERSION@", with: NotesVersion.current)
            .replacingOccurrences(of: "@CONTENT@", with: content)
            .replacingOccurrences(of: "@SHARDS@", with: "\(shards)")
            .replacingOccurrences(of: "@SHARD_LIST@", with: (1...shards).map(String.init).joined(separator: ", "))
    }

    /// Writes the workflow under `repository`; an existing one is left alone (that is an error).
    public static func write(content: String, in repository: URL) throws {
        let file = repository.appendingPathComponent(path)
        guard !FileManager.default.fileExists(atPath: file.path) else {
            throw Diagnostic(file: path, "already exists; not overwritten")
        }
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try AtomicFile.write(Data(try yaml(content: content).utf8), to: file)
    }
}
