import Foundation
import Testing
import Yams
@testable import NotesCore

/// The workflow `notes init --github-workflow` writes: read back as YAML, it has the shape the README
/// promises. (`.ci/run` also checks it against GitHub Actions' JSON schema.)
@Suite("Write: the CI workflow for a course repository")
struct CIWorkflowTests {
    @Test func shardsCacheMergeAndPublish() throws {
        let yaml = try CIWorkflow.yaml(content: "Lectures", shards: 3)
        let workflow = try #require(try Yams.load(yaml: yaml) as? [String: Any])
        let env = try #require(workflow["env"] as? [String: Any])
        #expect(env["NOTES_CONTENT"] as? String == "Lectures")
        #expect(env["NOTES_VERSION"] as? String == NotesVersion.current)
        let jobs = try #require(workflow["jobs"] as? [String: Any])
        #expect(Set(jobs.keys) == ["install", "verify", "report", "pages"])
        let verify = try #require(jobs["verify"] as? [String: Any])
        let matrix = try #require((verify["strategy"] as? [String: Any])?["matrix"] as? [String: Any])
        #expect(matrix["shard"] as? [Int] == [1, 2, 3])
        #expect(yaml.contains("--shard \"${{ matrix.shard }}/$NOTES_SHARDS\""))
        #expect(yaml.contains("key: notes-${{ env.NOTES_VERSION }}-shard-${{ matrix.shard }}-${{ hashFiles("))
        #expect(yaml.contains("notes report merge junit-*.xml -o junit.xml"))
        #expect(yaml.contains("uses: actions/deploy-pages@v4"))
    }

    @Test func anExistingWorkflowIsNotOverwritten() throws {
        let folder = try TemporaryFolder("notes-workflow")
        defer { folder.remove() }
        try CIWorkflow.write(content: "Content", in: folder.url)
        #expect(try folder.read(CIWorkflow.path) == (try CIWorkflow.yaml(content: "Content")))
        let error = try #require(throws: Diagnostic.self) { try CIWorkflow.write(content: "Other", in: folder.url) }
        #expect(error.description == ".github/workflows/notes.yml: error: already exists; not overwritten")
    }
}
