import Foundation
import Testing
@testable import NotesCore

/// Run stage, below the pipeline: ChildProcess with real `/bin/sh` children, and the trace cleaner.
@Suite("Run: child processes")
struct ChildProcessTests {
    func sh(_ script: String, timeout: Double = 30, limit: Int = 1 << 20) async throws -> ProcessOutcome {
        let folder = try TemporaryFolder("notes-child")
        defer { folder.remove() }
        return try await offThePool {
            Result { try ChildProcess.run("/bin/sh", ["-c", script], environment: ["PATH": "/usr/bin:/bin"],
                                          workingDirectory: folder.url.path, timeout: timeout, outputLimit: limit) }
        }.get()
    }

    func text(_ outcome: ProcessOutcome) -> String { String(decoding: outcome.output, as: UTF8.self) }

    /// Writes to both streams within microseconds may arrive in either order (two pipes), but none is lost,
    /// and each stream keeps its own order. `stderrLinesAreToldApartAndKeptInArrivalOrder` covers ordering.
    @Test func bothStreamsAreCapturedWhole() async throws {
        let outcome = try await sh("echo one; echo two >&2; echo three; echo four >&2")
        let lines = OutputLines(bytes: outcome.output, stderrRanges: outcome.stderrRanges).lines.filter { !$0.text.isEmpty }
        #expect(lines.filter { !$0.isError }.map(\.text) == ["one", "three"])
        #expect(lines.filter(\.isError).map(\.text) == ["two", "four"])
        #expect(outcome.termination == .exited(0))
    }

    @Test func exitCodeAndSignal() async throws {
        #expect(try await sh("exit 3").termination == .exited(3))
        #expect(try await sh("kill -SEGV $$").termination == .signaled(SIGSEGV))
    }

    @Test func stdinIsClosedAndTheWorkingFolderIsTheOneGiven() async throws {
        let outcome = try await sh("cat; echo \"read done\"; pwd")
        let lines = text(outcome).split(separator: "\n")
        #expect(lines.first == "read done")
        #expect(lines.last?.contains("notes-child-") == true)
    }

    @Test func onlyTheGivenEnvironmentIsPassed() async throws {
        let variables = text(try await sh("env")).split(separator: "\n")
        #expect(variables.contains("PATH=/usr/bin:/bin"))
        #expect(!variables.contains { $0.hasPrefix("HOME=") }, "got: \(variables)")
    }

    @Test func timeoutKillsTheWholeProcessGroup() async throws {
        // The child starts a grandchild that would outlive it, then waits forever.
        let folder = try TemporaryFolder("notes-child")
        defer { folder.remove() }
        let pidFile = folder.path("grandchild.pid").path
        let outcome = try await offThePool {
            Result {
                try ChildProcess.run("/bin/sh", ["-c", "sleep 60 & echo $! > '\(pidFile)'; echo started; wait"],
                                     environment: ["PATH": "/usr/bin:/bin"], workingDirectory: folder.url.path,
                                     timeout: 1, outputLimit: 1 << 20)
            }
        }.get()
        #expect(outcome.termination == .timedOut(seconds: 1))
        #expect(String(decoding: outcome.output, as: UTF8.self) == "started\n")
        let pid = try #require(Int32(try folder.read("grandchild.pid").trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(!Self.isRunning(pid), "the grandchild \(pid) survived its process group being killed")
    }

    @Test func outputFloodIsCappedAndStopped() async throws {
        let outcome = try await sh("yes flood", limit: 1000)
        #expect(outcome.termination == .outputLimit)
        #expect(outcome.output.count == 1000)
    }

    @Test func missingExecutableIsADiagnostic() async throws {
        let error = await offThePool {
            Result { try ChildProcess.run("/nonexistent/program", [], environment: [:], workingDirectory: "/",
                                          timeout: 5, outputLimit: 100) }
        }
        #expect(throws: Diagnostic.self) { try error.get() }
    }

    @Test func backtraceIsRemovedButTheTrapMessageStays() {
        let raw = """
        before
        Swift/ContiguousArrayBuffer.swift:691: Fatal error: Index out of range
        Current stack trace:
        0    libswiftCore.so                    0x00007f3a2c8e1a3d <unavailable> + 1436221
        1    libswiftCore.so                    0x00007f3a2c8e1a3d <unavailable> + 1436221
        after the trace

        """
        #expect(SnippetRunner.clean(OutputLines(bytes: Array(raw.utf8), stderrRanges: [])).text == """
        before
        Swift/ContiguousArrayBuffer.swift:691: Fatal error: Index out of range
        after the trace

        """)
    }

    @Test func stderrLinesAreToldApartAndKeptInArrivalOrder() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        // Pauses between writes, so arrival order is write order even on a loaded machine.
        let script = "echo out1; sleep 0.2; echo err1 >&2; sleep 0.2; echo out2; sleep 0.2; printf 'err2' >&2"
        let outcome = try ChildProcess.run("/bin/sh", ["-c", script], environment: [:], workingDirectory: folder.url.path,
                                           timeout: 10, outputLimit: 1 << 20)
        let lines = OutputLines(bytes: outcome.output, stderrRanges: outcome.stderrRanges)
        #expect(lines.text == "out1\nerr1\nout2\nerr2")
        #expect(lines.errorLines == [1, 3])
    }

    @Test func sessionPartsKeepTheirOwnStderrLines() throws {
        let marker = "<boundary>"
        let text = "a\nwarn\n\(marker)\nb\nfatal\n"
        let warn = text.utf8.count - "warn\n\(marker)\nb\nfatal\n".utf8.count
        let fatal = text.utf8.count - "fatal\n".utf8.count
        let lines = OutputLines(bytes: Array(text.utf8), stderrRanges: [warn..<(warn + 5), fatal..<text.utf8.count])
        let parts = try #require(lines.split(atBoundaries: [marker], prefix: "<bound"))
        #expect(parts.map(\.text) == ["a\nwarn\n", "b\nfatal\n"])
        #expect(parts.map(\.errorLines) == [[1], [1]])
    }

    /// A boundary the program printed itself (an extra one, one out of order, or the prefix alone)
    /// makes the split untrustworthy rather than crediting output to a snippet that never ran.
    @Test func forgedSessionBoundariesAreRefused() {
        func split(_ text: String) -> [String]? {
            OutputLines(bytes: Array(text.utf8), stderrRanges: []).split(atBoundaries: ["<b 1>", "<b 2>"], prefix: "<b")?.map(\.text)
        }
        #expect(split("a\n<b 1>\nb\n<b 2>\nc\n") == ["a\n", "b\n", "c\n"])
        #expect(split("a\n<b 1>\nb\n") == ["a\n", "b\n"])
        #expect(split("a\n<b 2>\nb\n") == nil)
        #expect(split("a\n<b 1>\n<b 1>\nb\n") == nil)
        #expect(split("a\n<b\nb\n") == nil)
        #expect(split("a\n<b 1>\nb\n<b 2>\nc\n<b 3>\n") == nil)
        // What shows of an unsplit session: notes' own boundaries as plain marks, the forged line as printed.
        let unsplit = OutputLines(bytes: Array("a\n<b 1>\n<b\n".utf8), stderrRanges: []).replacingLines(endingWith: ["<b 1>", "<b 2>"], by: "[mark]")
        #expect(unsplit.text == "a\n[mark]\n<b\n")
    }

    /// The process table is read with plain system calls; it must still see this very process.
    @Test func processTableFindsThisProcessAndItsThreads() {
        let me = ProcessTable.processes().filter { $0.processGroup == getpgrp() && $0.user == getuid() }
        #expect(!me.isEmpty)
        #expect(ProcessTable.taskCount(processGroup: getpgrp()) >= me.reduce(0) { $0 + $1.threads })
        #expect(ProcessTable.hasLiveProcess(user: getuid()))
        #expect(!ProcessTable.hasLiveProcess(user: SandboxUser.range.upperBound - 1))
    }

    @Test func processStatusParsing() {
        let status = "Name:\tsh\nState:\tZ (zombie)\nTgid:\t7\nUid:\t1500000123\t1500000123\t0\t0\nNSpgid:\t42\t1\nThreads:\t3\n"
        #expect(ProcessTable.parseStatus(Array(status.utf8)[...])
                == ProcessTable.Process(processGroup: 42, user: 1_500_000_123, threads: 3, zombie: true))
        let sleeping = "State:\tS (sleeping)\nUid:\t0\t0\t0\t0\n"
        #expect(ProcessTable.parseStatus(Array(sleeping.utf8)[...])?.zombie == false)
        // A process that went away between listing /proc and reading its status.
        #expect(ProcessTable.parseStatus([][...]) == nil)
    }

    /// Running means: /proc has it and it is not a zombie waiting for a parent that is gone.
    static func isRunning(_ pid: Int32) -> Bool {
        // The kill is sent as the child is reaped; give the kernel a moment to deliver it.
        for _ in 0..<50 {
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return false }
            let state = stat.split(separator: ")").last?.split(separator: " ").first
            if state == "Z" || state == "X" { return false }
            usleep(20_000)
        }
        return true
    }
}
