import Foundation
import Testing
@testable import NotesCore

/// The sandbox against snippets that misbehave on purpose, through the real pipeline: each ends as a
/// failure of that snippet that says what happened, the others still pass, and nothing is left running.
extension Compiling {
    @Suite("Run: hostile snippets are contained")
    struct HostileSnippetTests {
        /// In every snippet id and in the command lines of the processes they start, so that any
        /// process left behind can be found in /proc.
        static let marker = "hostile" + UUID().uuidString.prefix(8).lowercased()

        static let config = """
        timeout: 3
        memory-limit-mib: 768
        file-size-limit-mib: 8
        process-limit: 64
        output-limit-kib: 64

        """

        /// One page of snippets, one case each; `outside` is where a snippet tries to write beyond its folder.
        /// The bomb runs alone (`serial`) and the allocation loop has time to spare: 64 spinning processes
        /// on two cores would otherwise slow the loop down to its timeout before it reaches the memory limit.
        static func note(outside: [String]) -> String {
            var text = """
            # Hostile

            ```swift run id=fine-\(marker)
            print("still fine")
            ```

            ```output
            still fine
            ```

            ```swift run serial id=bomb-\(marker)
            import Foundation
            print(FileManager.default.currentDirectoryPath)
            while true { _ = fork() }
            ```

            ```swift run timeout=10 id=alloc-\(marker)
            var chunks: [[UInt8]] = []
            while true { chunks.append([UInt8](repeating: 1, count: 1 << 20)) }
            ```

            ```swift run id=flood-\(marker)
            while true { print("flood flood flood flood") }
            ```

            ```swift run timeout=2 id=loop-\(marker)
            var spins = 0
            while true { spins &+= 1 }
            ```

            ```swift run id=bigfile-\(marker)
            import Foundation
            let file = FileManager.default.currentDirectoryPath + "/big.bin"
            FileManager.default.createFile(atPath: file, contents: nil)
            let handle = FileHandle(forWritingAtPath: file)!
            let chunk = Data(count: 1 << 20)
            for _ in 0..<10_240 { handle.write(chunk) }
            ```

            ```swift run id=stdin-\(marker)
            let name = readLine()!
            print("hello, \\(name)")
            ```

            ```swift run timeout=2 id=stubborn-\(marker)
            import Foundation
            // One child in the process group, one that leaves it with setsid; both ignore SIGTERM.
            var children: [Process] = []
            for command in ["/bin/sh", "/usr/bin/setsid"] {
                let child = Process()
                child.executableURL = URL(fileURLWithPath: command)
                child.arguments = (command == "/bin/sh" ? [] : ["/bin/sh"]) + ["-c", "trap '' TERM; while :; do sleep 1; done; : \(marker)"]
                try child.run()
                children.append(child)
            }
            children[0].waitUntilExit()
            ```

            """
            for (index, path) in outside.enumerated() {
                text += """

                ```swift run id=outside\(index)-\(marker)
                import Foundation
                try "escaped".write(toFile: "\(path)", atomically: false, encoding: .utf8)
                ```

                """
            }
            return text
        }

        struct Built {
            var result: PipelineResult
            var text: String

            func report(_ name: String) throws -> SnippetReport {
                try #require(result.reports.first { $0.snippet.id == "\(name)-\(marker)" }, "no report for \(name)")
            }

            /// The one-line error for the snippet, which must name its fence's line.
            func diagnostic(_ name: String) throws -> String {
                let report = try report(name)
                let first = try #require(report.diagnostics.first, "\(name) did not fail: \(report.verdict)")
                let fence = line(of: "id=\(name)-\(marker)", in: text)
                #expect(first.description.hasPrefix("Content/hostile.md:\(fence): error: snippet '\(name)-\(marker)'"))
                return first.description
            }
        }

        /// Processes whose command line holds the marker, other than this test process.
        static func strays() -> [String] {
            let own = String(getpid())
            return ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { pid in
                guard Int(pid) != nil, pid != own,
                      let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return nil }
                let command = String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
                return command.contains(marker) ? "\(pid): \(command)" : nil
            }
        }

        /// Waits (up to a generous deadline) for killed processes to disappear from /proc, then lists any left.
        static func straysAfterSettling() async -> [String] {
            for _ in 0..<100 where !strays().isEmpty { try? await Task.sleep(for: .milliseconds(100)) }
            return strays()
        }

        @Test func eachHostileSnippetFailsAloneAndLeavesNothingBehind() async throws {
            let folder = try TemporaryFolder("notes-hostile")
            defer { folder.remove() }
            let content = folder.path("Content")
            let home = FileManager.default.homeDirectoryForCurrentUser.path
            let targets = [content.appendingPathComponent("escaped.txt").path,
                           "/tmp/\(Self.marker)-escaped.txt",
                           home + "/\(Self.marker)-escaped.txt"]
            defer { for target in targets { try? FileManager.default.removeItem(atPath: target) } }
            let text = Self.note(outside: targets)
            try folder.write("Content/hostile.md", text)
            try folder.write("Content/notes.yaml", Self.config)
            let options = PipelineOptions(contentDirectory: content, displayPrefix: "Content", output: folder.path("Site"))
            let built = Built(result: await offThePool { Pipeline.run(options) }, text: text)

            // The build finished, wrote its site, and the ordinary snippet passed.
            #expect(built.result.pagesWritten > 0)
            #expect(try built.report("fine").verdict == .verified)
            #expect(built.result.failed == 7 + targets.count, "\(built.result.reports.map { ($0.snippet.id, $0.verdict) })")

            #expect(try built.diagnostic("bomb").contains("was stopped: it started too many processes (the limit is 64"))
            #expect(try built.diagnostic("alloc").contains("was stopped: it ran out of memory (the limit is 768 MiB"))
            #expect(try built.diagnostic("flood").contains("printed more than the output limit"))
            #expect(try built.report("flood").output.count <= 64 << 10 + 200)
            #expect(try built.diagnostic("loop").contains("was still running after 2 s"))
            #expect(try built.diagnostic("bigfile").contains("wrote a file larger than the 8 MiB file size limit"))
            #expect(try built.diagnostic("stubborn").contains("was still running after 2 s"))
            // stdin is /dev/null: the read ends at once instead of waiting for the timeout.
            #expect(try built.diagnostic("stdin").contains("expected to succeed, but it crashed"))
            #expect(try built.report("stdin").output.contains("Unexpectedly found nil"))
            for index in targets.indices {
                let name = "outside\(index)"
                #expect(try built.diagnostic(name).contains("expected to succeed, but it crashed"))
                let output = try built.report(name).output
                #expect(output.contains("permission"), "\(output)")
                #expect(!FileManager.default.fileExists(atPath: targets[index]), "a snippet wrote \(targets[index])")
            }

            // The bomb's run folder went, though it was killed; and so did every process any snippet started.
            let bombFolder = try built.report("bomb").output.split(separator: "\n").first.map(String.init) ?? ""
            #expect(bombFolder.contains("notes-run-"))
            #expect(!FileManager.default.fileExists(atPath: bombFolder))
            let left = await Self.straysAfterSettling()
            #expect(left.isEmpty, "processes left running: \(left)")
        }
    }
}
