import Foundation
import Testing
@testable import NotesCore

/// Two `notes` on one content folder: the second waits, saying so, and goes on when the first ends.
@Suite("Build: one notes run per content folder")
struct ContentLockTests {
    @Test func aSecondRunWaitsForTheFirst() async throws {
        let folder = try TemporaryFolder("notes-lock")
        defer { folder.remove() }
        try folder.write("Content/note.md", "# Note\n\nNo snippets, so the run itself takes a moment.\n")
        var held: ContentLock? = try ContentLock(contentDirectory: folder.path("Content")) {
            Issue.record("nothing else holds the lock yet")
        }

        let process = Process()
        process.executableURL = try notesExecutable()
        process.arguments = ["verify", "--content", folder.path("Content").path]
        process.currentDirectoryURL = folder.url
        let stderr = folder.path("stderr.txt")
        _ = FileManager.default.createFile(atPath: stderr.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: stderr)
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()

        var waited = false
        for _ in 0..<300 where !waited {
            waited = (try? folder.read("stderr.txt"))?.contains("waiting for another notes run") == true
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(waited, "stderr: \((try? folder.read("stderr.txt")) ?? "")")
        try await Task.sleep(for: .milliseconds(500))
        #expect(process.isRunning, "the second run went ahead while the first held the lock")

        held = nil
        withExtendedLifetime(held) {}
        await offThePool { process.waitUntilExit() }
        #expect(process.terminationStatus == 0, "stderr: \((try? folder.read("stderr.txt")) ?? "")")
    }

    /// Without the lock two runs could interleave their writes: not being able to take it is an error.
    @Test func aLockThatCannotBeOpenedIsAnError() async throws {
        let folder = try TemporaryFolder("notes-lock")
        defer { folder.remove() }
        try folder.write("Content/note.md", "# Note\n")
        let notAFolder = try folder.write("tmp-is-a-file", "")
        let outcome = try await Compiling.CLITests.runNotes(["verify", "--content", folder.path("Content").path], in: folder,
                                                  environment: ["TMPDIR": notAFolder.path])
        #expect(outcome.status != 0)
        let lines = outcome.stderr.split(separator: "\n")
        #expect(lines.contains { $0.contains("error: cannot open the lock that keeps two notes runs apart") }, "\(outcome.stderr)")
    }
}
