import Foundation

/// Live processes, read from /proc/PID/status: what RLIMIT_NPROC counts, and what a run left behind.
/// It is read after every run, so it reads with plain system calls into one buffer: through
/// Foundation, a scan of 70 processes cost about 4 ms, more than a tenth of a snippet's run.
enum ProcessTable {
    struct Process: Equatable {
        var pid: pid_t = 0
        var parent: pid_t = 0
        var processGroup: pid_t
        /// The real user id.
        var user: uid_t
        var threads: Int
        /// Exited but not yet reaped: it holds no resources and can start nothing.
        var zombie: Bool
    }

    /// Tasks (processes and their threads) in process group `group`. A group with no process left,
    /// as after most runs, is told by a signal 0 without reading /proc.
    static func taskCount(processGroup group: pid_t) -> Int {
        if kill(-group, 0) == -1, errno == ESRCH { return 0 }
        return processes().filter { $0.processGroup == group }.reduce(0) { $0 + $1.threads }
    }

    /// Tasks whose real user is `user`.
    static func taskCount(user: uid_t) -> Int {
        processes().filter { $0.user == user }.reduce(0) { $0 + $1.threads }
    }

    /// Whether `user` still has a process that could run or start another one.
    static func hasLiveProcess(user: uid_t) -> Bool {
        processes().contains { $0.user == user && !$0.zombie }
    }

    static func processes() -> [Process] {
        guard let directory = opendir("/proc") else { return [] }
        defer { closedir(directory) }
        var found: [Process] = []
        var buffer = [UInt8](repeating: 0, count: 8192)
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard let pid = pid_t(name) else { continue }
            let count = buffer.withUnsafeMutableBytes { bytes -> Int in
                let fd = open("/proc/\(pid)/status", O_RDONLY | O_CLOEXEC)
                guard fd >= 0 else { return 0 }
                defer { close(fd) }
                return max(0, read(fd, bytes.baseAddress, bytes.count))
            }
            if var process = parseStatus(buffer[0..<count]) {
                process.pid = pid
                found.append(process)
            }
        }
        return found
    }

    /// `State:\tS (sleeping)`, `Uid:\t0\t0\t0\t0`, `NSpgid:\t345`, `Threads:\t1`, one per line;
    /// nil when the process went away before it was read.
    static func parseStatus(_ text: ArraySlice<UInt8>) -> Process? {
        var process = Process(processGroup: -1, user: 0, threads: 1, zombie: false)
        var sawUser = false
        var lineStart = text.startIndex
        while lineStart < text.endIndex {
            let lineEnd = text[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? text.endIndex
            let line = text[lineStart..<lineEnd]
            if let value = field("State:", line) {
                process.zombie = value.first(where: { $0 != UInt8(ascii: " ") }) == UInt8(ascii: "Z")
            } else if let value = field("Uid:", line), let user = firstNumber(value) {
                process.user = uid_t(user)
                sawUser = true
            } else if let value = field("PPid:", line), let parent = firstNumber(value) {
                process.parent = pid_t(parent)
            } else if let value = field("NSpgid:", line), let group = firstNumber(value) {
                process.processGroup = pid_t(group)
            } else if let value = field("Threads:", line), let threads = firstNumber(value) {
                process.threads = threads
            }
            lineStart = lineEnd + 1
        }
        return sawUser ? process : nil
    }

    /// What follows `name` and a tab on a `name:\tvalue` line.
    private static func field(_ name: StaticString, _ line: ArraySlice<UInt8>) -> ArraySlice<UInt8>? {
        let prefix = UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
        guard line.starts(with: prefix) else { return nil }
        return line.dropFirst(prefix.count).drop { $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: " ") }
    }

    private static func firstNumber(_ value: ArraySlice<UInt8>) -> Int? {
        let digits = value.prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        return digits.isEmpty ? nil : Int(String(decoding: digits, as: UTF8.self))
    }
}
