import Foundation
import Testing
@testable import NotesCore

/// The real `notes build` killed with SIGKILL while a snippet runs: the previous site must survive
/// byte for byte, the snippet must not outlive `notes`, and the next build clears what a kill leaves.
extension Compiling {
    @Suite("CLI: notes build killed midway")
    struct InterruptedBuildTests {
        static let marker = "sleeper" + UUID().uuidString.prefix(8).lowercased()

        static let note = """
        # Interrupted

        ```swift run id=hello
        print("hello")
        ```

        ```output
        hello
        ```

        """

        static let sleepingNote = note + """

        ```swift run timeout=120 id=\(marker)
        import Foundation
        sleep(600)
        ```

        """

        /// Every file under `folder`, by relative path.
        static func snapshot(_ folder: URL) -> [String: Data] {
            var files: [String: Data] = [:]
            let root = folder.standardizedFileURL.path
            for case let relative as String in FileManager.default.enumerator(atPath: root) ?? .init() {
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: root + "/" + relative, isDirectory: &isDirectory), !isDirectory.boolValue {
                    files[relative] = FileManager.default.contents(atPath: root + "/" + relative)
                }
            }
            return files
        }

        /// Polls (up to `seconds`) until `condition` holds; returns whether it did.
        static func eventually(within seconds: Int, _ condition: () -> Bool) async -> Bool {
            for _ in 0..<(seconds * 10) {
                if condition() { return true }
                try? await Task.sleep(for: .milliseconds(100))
            }
            return condition()
        }

        static func snippetRunning() -> Bool {
            ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).contains { pid in
                guard Int(pid) != nil, let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
                // The program itself, named after its snippet; not the compiler that is building it.
                let program = data.split(separator: 0, omittingEmptySubsequences: false).first ?? []
                return String(decoding: program, as: UTF8.self).hasSuffix("/" + marker)
            }
        }

        /// What a run left in its TMPDIR, but for the content lock's file: a lock file must stay, or two runs
        /// could each lock a different file of the same name.
        static func leftovers(in temporary: URL) throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: temporary.path).filter { !$0.hasSuffix(".lock") }
        }

        @Test func finishedBuildLeavesNothingInTMPDIR() async throws {
            let folder = try TemporaryFolder("notes-tmpdir")
            defer { folder.remove() }
            try folder.write("Content/interrupted.md", Self.note)
            let temporary = folder.path("tmp")
            try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
            let outcome = try await CLITests.runNotes(["build", "--no-cache"], in: folder,
                                                      environment: ["TMPDIR": temporary.path])
            #expect(outcome.status == 0, "\(outcome.stderr)")
            let left = try Self.leftovers(in: temporary)
            #expect(left.isEmpty, "left in TMPDIR: \(left)")
        }

        /// Ctrl-C (SIGINT) or SIGTERM: notes stops its snippets, removes its temporary folders and exits 128+signal.
        @Test(arguments: [SIGINT, SIGTERM])
        func interruptedBuildLeavesNoProcessOrTemporaryFolder(_ signal: Int32) async throws {
            let folder = try TemporaryFolder("notes-interrupted")
            defer { folder.remove() }
            try folder.write("Content/interrupted.md", Self.sleepingNote)
            let temporary = folder.path("tmp")
            try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
            let process = Process()
            process.executableURL = try notesExecutable()
            process.arguments = ["build"]
            process.currentDirectoryURL = folder.url
            // Its own TMPDIR, so what it leaves there is exactly what this build made.
            process.environment = ProcessInfo.processInfo.environment.merging(["TMPDIR": temporary.path]) { $1 }
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let started = await Self.eventually(within: 240) { Self.snippetRunning() }
            #expect(started, "the sleeping snippet never started")
            let madeFolders = (try? FileManager.default.contentsOfDirectory(atPath: temporary.path)) ?? []
            #expect(madeFolders.contains { $0.hasPrefix("notes-build-") }, "\(madeFolders)")
            kill(process.processIdentifier, signal)
            await offThePool { process.waitUntilExit() }
            #expect(process.terminationStatus == 128 + signal)
            let gone = await Self.eventually(within: 20) { !Self.snippetRunning() }
            #expect(gone, "the snippet outlived notes")
            let left = try Self.leftovers(in: temporary)
            #expect(left.isEmpty, "temporary folders left: \(left)")
            #expect(!folder.exists("Site"), "an interrupted first build leaves no site")
        }

        @Test func previousSiteSurvivesSigkillAndTheNextBuildClearsLeftovers() async throws {
            let folder = try TemporaryFolder("notes-killed")
            defer { folder.remove() }
            try folder.write("Content/interrupted.md", Self.note)
            let first = try await CLITests.runNotes(["build"], in: folder)
            #expect(first.status == 0, "\(first.stderr)")
            let site = Self.snapshot(folder.path("Site"))
            #expect(site["interrupted.html"] != nil, "\(site.keys.sorted())")

            // Second build: killed once the sleeping snippet runs.
            try folder.write("Content/interrupted.md", Self.sleepingNote)
            let process = Process()
            process.executableURL = try notesExecutable()
            process.arguments = ["build"]
            process.currentDirectoryURL = folder.url
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let started = await Self.eventually(within: 240) { Self.snippetRunning() }
            kill(process.processIdentifier, SIGKILL)
            await offThePool { process.waitUntilExit() }
            #expect(started, "the sleeping snippet never started")
            #expect(process.terminationReason == .uncaughtSignal)

            #expect(Self.snapshot(folder.path("Site")) == site, "the previous site changed")
            let siblings = try FileManager.default.contentsOfDirectory(atPath: folder.url.path)
            #expect(!siblings.contains { $0.hasPrefix(".Site.new-") }, "\(siblings)")
            let gone = await Self.eventually(within: 20) { !Self.snippetRunning() }
            #expect(gone, "the snippet outlived notes")

            // What a kill during the write itself would leave, and a folder that only looks alike.
            let staleNew = ".Site.new-\(UUID().uuidString)", staleOld = ".Site.old-\(UUID().uuidString)"
            try folder.write("\(staleNew)/index.html", "half written")
            try folder.write("\(staleOld)/index.html", "moved aside")
            try folder.write(".Site.new-mine/keep.txt", "not ours")
            try folder.write("Content/interrupted.md", Self.note)
            let third = try await CLITests.runNotes(["build"], in: folder)
            #expect(third.status == 0, "\(third.stderr)")
            #expect(!folder.exists(staleNew) && !folder.exists(staleOld))
            #expect(folder.exists(".Site.new-mine/keep.txt"))
            #expect(Self.snapshot(folder.path("Site"))["interrupted.html"] == site["interrupted.html"])
        }
    }
}
