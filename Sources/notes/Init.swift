import ArgumentParser
import Foundation
import NotesCore

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create a starter course (config, index, one lesson with a verified snippet), and a CI workflow if asked.")

    @Argument(help: "The folder to create.")
    var directory: String = "Content"

    @Flag(name: .long, help: "Also write .github/workflows/notes.yml here: sharded verify, merged JUnit report, GitHub Pages.")
    var githubWorkflow = false

    func run() throws {
        let folder = URL(fileURLWithPath: directory)
        // With --github-workflow, an existing course gets the workflow only.
        let existing = githubWorkflow && !((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).isEmpty
        do {
            if !existing { try StarterCourse.write(to: folder) }
            if githubWorkflow {
                try CIWorkflow.write(content: directory, in: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            }
        } catch let diagnostic as Diagnostic {
            Terminal.printError(diagnostic.description)
            throw ExitCode.failure
        }
        if !existing { print("created a starter course in \(directory)/; build it with: notes build --content \(directory)") }
        if githubWorkflow {
            print("wrote \(CIWorkflow.path); set the repository variable NOTES_GIT_URL to where notes comes from")
        } else {
            print("for CI on GitHub Actions: notes init \(directory) --github-workflow (in the repository's top folder)")
        }
    }
}
