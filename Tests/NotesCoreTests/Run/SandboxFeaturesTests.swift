import Foundation
import Testing
@testable import NotesCore

/// What notes says once about protections this machine lacks, and the launcher's own refusals.
@Suite("Run: the sandbox's features and the launcher")
struct SandboxFeaturesTests {
    @Test func eachMissingProtectionIsNamedOnce() {
        let full = SandboxFeatures(landlock: 7, ownUser: true, cgroup: true)
        #expect(full.missing.isEmpty)
        let none = SandboxFeatures(landlock: 0, ownUser: false, cgroup: false)
        #expect(none.missing.count == 2)
        #expect(none.missing.allSatisfy { $0.hasPrefix("sandbox: ") })
        #expect(none.missing[0].contains("no Landlock"))
        #expect(none.missing[1].contains("not root"))
        let old = SandboxFeatures(landlock: 2, ownUser: true, cgroup: false, ownNetwork: false)
        #expect(old.missing.map { $0.contains("ABI 2") }.filter { $0 }.count == 3)
        #expect(old.missing.suffix(2).map { $0.contains("no cgroup") || $0.contains("no network namespace") } == [true, true])
    }

    /// The Landlock version the launcher reports is the one it applies: with one, a write outside the
    /// run's folder fails; without, it succeeds (as root, the user switch is left out here).
    @Test func theLauncherReportsTheLandlockItApplies() throws {
        let launcher = try Launcher.beside()
        let features = SandboxFeatures.current(launcher: launcher)
        let folder = try TemporaryFolder("notes-launch")
        defer { folder.remove() }
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("notes-outside-\(UUID().uuidString)").path
        defer { unlink(outside) }
        let outcome = try ChildProcess.run(launcher.path, ["--", "/bin/sh", "-c", "echo x > \(outside)"], environment: [:],
                                           workingDirectory: folder.url.path, timeout: 10, outputLimit: 4096)
        #expect(FileManager.default.fileExists(atPath: outside) == (features.landlock == 0), "Landlock ABI \(features.landlock)")
        #expect(outcome.termination == (features.landlock == 0 ? .exited(0) : .exited(2)))
    }

    /// The contract between notes and its launcher is written twice, in Swift and in C: the settings'
    /// names and the exit status of a launch that failed. The C source must name exactly SandboxSetting's.
    @Test func theLauncherSourceKnowsExactlyTheSwiftSettings() throws {
        let source = try String(contentsOf: packageRoot.appendingPathComponent("Sources/notes-launch/launch.c"), encoding: .utf8)
        let names = source.components(separatedBy: "!strcmp(name, \"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
        #expect(Set(names) == Set(SandboxSetting.allCases.map(\.rawValue)))
        #expect(names.count == SandboxSetting.allCases.count, "each setting is read in one place")
        #expect(source.contains("#define LAUNCH_FAILED \(SandboxSetting.launchFailed)\n"))
    }

    /// A setting the launcher does not know, or a malformed number, stops it before anything runs, with
    /// the sandbox's exit status and a message naming the setting.
    @Test func theLauncherRefusesWhatItDoesNotUnderstand() throws {
        let launcher = try Launcher.beside()
        for (arguments, named) in [(["unknown=1", "--", "/bin/true"], "unknown"), (["cpu-seconds=1x", "--", "/bin/true"], "cpu-seconds"),
                                   (["cpu-seconds=1"], "no program")] {
            let outcome = try ChildProcess.run(launcher.path, arguments, environment: [:], workingDirectory: "/",
                                               timeout: 10, outputLimit: 4096)
            #expect(outcome.termination == .exited(SandboxSetting.launchFailed))
            #expect(String(decoding: outcome.output, as: UTF8.self).contains(named))
        }
    }

    /// Confined before the program exists: what `/proc/self/status` of the program shows.
    @Test func theProgramStartsConfined() throws {
        let launcher = try Launcher.beside()
        let folder = try TemporaryFolder("notes-launch")
        defer { folder.remove() }
        let outcome = try ChildProcess.run(launcher.path, ["open-files=64", "--", "/bin/sh", "-c",
                                           "grep -E '^(NoNewPrivs|Seccomp):' /proc/self/status; ls /proc/self/fd; ps -o sid=,pid= -p $$"],
                                           environment: ["PATH": "/usr/bin:/bin"], workingDirectory: folder.url.path,
                                           timeout: 10, outputLimit: 1 << 16)
        let text = String(decoding: outcome.output, as: UTF8.self)
        #expect(outcome.termination == .exited(0), "\(text)")
        #expect(text.contains("NoNewPrivs:\t1"))
        #expect(text.contains("Seccomp:\t2"))
        // ls's own directory descriptor (3) aside, only 0-2.
        let fds = text.split(separator: "\n").filter { Int($0) != nil }
        #expect(fds == ["0", "1", "2", "3"], "\(text)")
        let ids = text.split(separator: "\n").last?.split(separator: " ").compactMap { Int($0) } ?? []
        #expect(ids.count == 2 && ids[0] == ids[1], "the shell leads a session of its own: \(text)")
    }
}
