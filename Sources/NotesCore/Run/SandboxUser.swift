import Foundation

/// A user id of its own for one run, when `notes` runs as root. Root ignores RLIMIT_NPROC and may write
/// anywhere; a fresh unprivileged user obeys the process limit, owns nothing outside the run's folder,
/// and every process it starts, even one that left the process group, can be found and killed by user.
enum SandboxUser {
    /// Ids far above any real account; random, so parallel runs (and parallel `notes`) do not share one.
    static let range: Range<UInt32> = 1_500_000_000..<(1_500_000_000 + 1 << 24)

    /// nil when not root, or when this user namespace maps none of the range (a rootless container).
    static func pick() -> uid_t? {
        guard geteuid() == 0 else { return nil }
        let candidate = UInt32.random(in: range)
        return mapped(candidate) ? candidate : nil
    }

    /// /proc/self/uid_map lines read `inside outside count`; the initial namespace maps everything.
    private static func mapped(_ user: UInt32) -> Bool {
        guard let map = try? String(contentsOfFile: "/proc/self/uid_map", encoding: .utf8) else { return true }
        return map.split(separator: "\n").contains { line in
            let numbers = line.split(separator: " ").compactMap { UInt64($0) }
            return numbers.count == 3 && UInt64(user) >= numbers[0] && UInt64(user) < numbers[0] + numbers[2]
        }
    }

    /// Hands the run's folders to the user, so the snippet can write there and nowhere else.
    static func give(_ folders: [URL], to user: uid_t) throws {
        for folder in folders where chown(folder.path, user, gid_t(user)) != 0 {
            throw Diagnostic(file: folder.path, "cannot hand the run folder to user \(user): \(String(cString: strerror(errno)))")
        }
    }

    /// Kills every process of `user` by running the launcher in its kill mode as that user: only a
    /// process of that user may signal them all with kill(-1), and `notes` cannot fork safely.
    static func killAll(_ user: uid_t, launcher: Launcher) {
        _ = try? ChildProcess.run(launcher.path, [SandboxSetting.killAll(user)], environment: [:],
                                  workingDirectory: "/", timeout: 10, outputLimit: 4096)
    }
}
