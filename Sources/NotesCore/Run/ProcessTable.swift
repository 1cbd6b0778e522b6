import Foundation

/// Counts of live tasks (processes and their threads), read from /proc: what RLIMIT_NPROC counts.
enum ProcessTable {
    /// Tasks in process group `group`.
    static func taskCount(processGroup group: pid_t) -> Int {
        processes().reduce(0) { sum, pid in
            guard let fields = statFields(pid), fields.count > 17, Int32(fields[2]) == group else { return sum }
            return sum + (Int(fields[17]) ?? 1)
        }
    }

    /// Tasks whose real user is `user`.
    static func taskCount(user: uid_t) -> Int {
        processes().reduce(0) { sum, pid in
            guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return sum }
            var realUser: uid_t?, threads = 1
            for line in status.split(separator: "\n") {
                if line.hasPrefix("Uid:") { realUser = line.split(separator: "\t").dropFirst().first.flatMap { uid_t($0) } }
                if line.hasPrefix("Threads:") { threads = Int(line.dropFirst(8).trimmingCharacters(in: .whitespaces)) ?? 1 }
            }
            return realUser == user ? sum + threads : sum
        }
    }

    private static func processes() -> [pid_t] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { pid_t($0) }
    }

    /// The fields of /proc/PID/stat after the command name, which may itself hold spaces and parentheses:
    /// [0] is the state, [2] the process group, [17] the number of threads.
    private static func statFields(_ pid: pid_t) -> [Substring]? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let end = stat.lastIndex(of: ")") else { return nil }
        return stat[stat.index(after: end)...].split(separator: " ")
    }
}
