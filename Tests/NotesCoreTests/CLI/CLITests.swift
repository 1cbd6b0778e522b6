import Foundation
import Testing
@testable import NotesCore

/// The `notes` executable run as a child process, the way CI runs it.
extension Compiling {
    @Suite("CLI: notes verify as a child process")
    struct CLITests {
        static let note = """
        ---
        title: CLI
        ---
        # CLI

        ```swift run id=cli-hello
        print("hello")
        print("world")
        ```

        ```output
        hello
        world
        ```

        """

        struct Outcome {
            var status: Int32
            var stdout: String
            var stderr: String
            var lastStdoutLine: String? {
                stdout.split(separator: "\n").last.map(String.init)
            }
        }

        /// Runs `notes` in `folder` with stdin closed and stdout/stderr captured in files.
        static func runNotes(_ arguments: [String], in folder: TemporaryFolder,
                             environment extra: [String: String] = [:]) async throws -> Outcome {
            let executable = try notesExecutable()
            let process = Process()
            process.executableURL = executable
            process.arguments = arguments
            process.currentDirectoryURL = folder.url
            var environment = ProcessInfo.processInfo.environment
            environment["GITHUB_ACTIONS"] = nil
            process.environment = environment.merging(extra) { $1 }
            let outPath = folder.path("stdout.txt"), errPath = folder.path("stderr.txt")
            _ = FileManager.default.createFile(atPath: outPath.path, contents: nil)
            _ = FileManager.default.createFile(atPath: errPath.path, contents: nil)
            let out = try FileHandle(forWritingTo: outPath), err = try FileHandle(forWritingTo: errPath)
            defer { try? out.close(); try? err.close() }
            process.standardOutput = out
            process.standardError = err
            process.standardInput = FileHandle.nullDevice
            try process.run()
            let status = await offThePool {
                process.waitUntilExit()
                return process.terminationStatus
            }
            return Outcome(status: status, stdout: try folder.read("stdout.txt"), stderr: try folder.read("stderr.txt"))
        }

        @Test func verifyPassesThenFailsAtTheChangedOutputLine() async throws {
            let folder = try TemporaryFolder("notes-cli")
            defer { folder.remove() }
            let content = folder.path("Content").path
            try folder.write("Content/cli.md", Self.note)

            let good = try await Self.runNotes(["verify", "--content", content], in: folder)
            #expect(good.status == 0, "stderr: \(good.stderr)")
            #expect(good.lastStdoutLine == "1 passed, 0 failed")
            #expect(!folder.exists("Site"), "verify writes no site")

            // Change one recorded output line: the note now disagrees with what the program prints.
            try folder.write("Content/cli.md", Self.note.replacingOccurrences(of: "world\n```", with: "there\n```"))
            let bad = try await Self.runNotes(["verify", "--content", content], in: folder)
            #expect(bad.status != 0)
            #expect(bad.lastStdoutLine == "0 passed, 1 failed")
            let outputFence = line(of: "```output", in: Self.note)
            #expect(bad.stderr.contains("\(content)/cli.md:\(outputFence): error: snippet 'cli-hello': output differs"),
                    "stderr: \(bad.stderr)")
            #expect(bad.stderr.contains("- there"))
            #expect(bad.stderr.contains("+ world"))
        }

        /// `verify --tsan` fails a racy snippet that is not `expect=race`, one line per access at its
        /// Markdown line; without the flag the same note passes.
        @Test func verifyWithTSanFailsAnUnmarkedRace() async throws {
            let folder = try TemporaryFolder("notes-cli")
            defer { folder.remove() }
            let note = """
            ```swift run id=quiet-race
            import Foundation
            nonisolated(unsafe) var hits = 0
            let other = Thread { hits += 1 }
            other.start()
            hits += 1
            Thread.sleep(forTimeInterval: 0.2)
            print("ran")
            ```

            ```output
            ran
            ```

            """
            try folder.write("Content/race.md", note)
            let content = folder.path("Content").path
            let plain = try await Self.runNotes(["verify", "--content", content, "--no-cache"], in: folder)
            #expect(plain.status == 0, "stderr: \(plain.stderr)")
            let checked = try await Self.runNotes(["verify", "--content", content, "--no-cache", "--tsan"], in: folder)
            #expect(checked.status != 0)
            #expect(checked.lastStdoutLine == "0 passed, 1 failed")
            #expect(checked.stderr.contains("\(content)/race.md:1: error: snippet 'quiet-race': ThreadSanitizer reported a"),
                    "stderr: \(checked.stderr)")
            for access in ["let other = Thread { hits += 1 }", "hits += 1\nThread.sleep"] {
                let accessLine = line(of: access.components(separatedBy: "\n")[0], in: note, after: access.hasPrefix("hits") ? 4 : 0)
                #expect(checked.stderr.contains("\(content)/race.md:\(accessLine): error: "), "stderr: \(checked.stderr)")
            }
        }

        /// `repeat=1000` of a megabyte of output: only distinct runs are kept, so notes stays small
        /// (it held every run's output before: a gigabyte). The peak is what notes itself reports.
        @Test func aThousandRepeatsOfAMegabyteKeepNotesSmall() async throws {
            let folder = try TemporaryFolder("notes-cli")
            defer { folder.remove() }
            try folder.write("Content/big.md", """
                ```swift run repeat=1000 id=megabyte
                let line = String(repeating: "x", count: 999)
                for _ in 0..<1_000 { print(line) }
                ```
                """)
            let started = Date()
            let outcome = try await Self.runNotes(["verify", "--no-cache", "--content", folder.path("Content").path], in: folder)
            let summary = try #require(outcome.stderr.split(separator: "\n").last { $0.contains("peak memory") })
            let mebibytes = try #require(Int(summary.split(separator: " ").dropLast().last ?? ""))
            print("repeat=1000 of 1,000,000 bytes: peak memory of notes \(mebibytes) MiB, \(Int(Date().timeIntervalSince(started))) s")
            #expect(mebibytes < 200, "\(summary)")
            #expect(outcome.status == 0 && outcome.stdout.contains("1 passed, 0 failed"), "\(outcome.stderr)")
        }

        @Test func withoutATerminalProgressIsAFewPlainLinesThenTheTimings() async throws {
            let folder = try TemporaryFolder("notes-cli")
            defer { folder.remove() }
            let content = folder.path("Content").path
            try folder.write("Content/cli.md", Self.note)
            let outcome = try await Self.runNotes(["build", "--content", content, "--output", folder.path("Site").path,
                                                   "--cache-dir", folder.path("cache").path], in: folder)
            #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
            let lines = outcome.stderr.split(separator: "\n").map(String.init)
            #expect(lines.dropLast() == ["notes: parsing 1 notes", "notes: 0 of 1 programs from the cache",
                                         "notes: compiling 1 programs", "notes: running 1 programs", "notes: rendering 1 pages"])
            let timings = try #require(lines.last)
            #expect(timings.hasPrefix("notes: parse "), "\(timings)")
            #expect(timings.contains(", compile ") && timings.contains(", run ") && timings.contains(", render "))
            #expect(timings.contains("; peak memory "))
            #expect(!outcome.stderr.contains("\r"), "no live line without a terminal")
        }

        @Test func verifyReportsAParseErrorAsFileLine() async throws {
            let folder = try TemporaryFolder("notes-cli")
            defer { folder.remove() }
            let content = folder.path("Content").path
            try folder.write("Content/bad.md", "# Bad\n\n```swift run sometimes\nprint(1)\n```\n")
            let outcome = try await Self.runNotes(["verify", "--content", content], in: folder)
            #expect(outcome.status != 0)
            #expect(outcome.stderr.contains("\(content)/bad.md:3: error: unknown word 'sometimes'"), "stderr: \(outcome.stderr)")
            #expect(outcome.lastStdoutLine == "0 passed, 0 failed")
        }
    }
}
