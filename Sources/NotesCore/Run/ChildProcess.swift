import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// How a child process ended.
public enum Termination: Sendable, Equatable, Hashable, Codable {
    case exited(Int32)
    case signaled(Int32)
    /// Still running at the deadline; its whole process group was killed.
    case timedOut(seconds: Double)
    /// Printed more than the output cap; its whole process group was killed.
    case outputLimit
    /// Stopped by one of the sandbox's limits (see `SandboxLimits`); set by `SnippetRunner`, which knows them.
    case limit(SandboxLimit)
}

/// The sandbox limit a run ran into, with the limit's value, for a message that says what happened.
public enum SandboxLimit: Sendable, Equatable, Hashable, Codable {
    case cpuSeconds(Int)
    case memoryBytes(Int)
    case fileBytes(Int)
    case processes(Int)
}

/// What a child process printed (stdout and stderr through one pipe, so in the order written) and how it ended.
public struct ProcessOutcome: Sendable {
    public var output: [UInt8]
    public var termination: Termination
    public var duration: Double
    /// Tasks (processes and threads) still in its process group when it ended or was stopped,
    /// counted before they were killed: a fork bomb shows as a group at the process limit.
    public var tasksAtEnd = 0
}

/// Spawns a program in its own process group, with stdin closed, and waits for it with a deadline.
/// Foundation's `Process` can neither start a new process group nor merge the two streams in write order,
/// and both are needed: a timeout must kill grandchildren too, and output must read as a terminal shows it.
public enum ChildProcess {
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String],
                           workingDirectory: String, timeout: Double, outputLimit: Int) throws -> ProcessOutcome {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw Diagnostic(file: executable, "cannot create a pipe") }
        let (readEnd, writeEnd) = (fds[0], fds[1])
        _ = fcntl(readEnd, F_SETFD, FD_CLOEXEC)

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, writeEnd, 1)
        posix_spawn_file_actions_adddup2(&actions, writeEnd, 2)
        posix_spawn_file_actions_addclose(&actions, writeEnd)
        guard addChdir(&actions, workingDirectory) == 0 else {
            throw Diagnostic(file: executable, "cannot set the working directory of a child process")
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGINT, SIGTERM, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }

        let start = Date()
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        close(writeEnd)
        guard spawned == 0 else {
            close(readEnd)
            throw Diagnostic(file: executable, "cannot start: \(String(cString: strerror(spawned)))")
        }
        ProcessGroups.shared.insert(pid)
        defer { ProcessGroups.shared.remove(pid) }

        var reader = PipeReader(fd: readEnd, limit: outputLimit)
        defer { close(readEnd) }
        var termination: Termination?
        while termination == nil {
            let remaining = timeout - Date().timeIntervalSince(start)
            if remaining <= 0 {
                termination = .timedOut(seconds: timeout)
            } else {
                reader.poll(milliseconds: Int32(min(50, max(1, remaining * 1000))))
                if reader.overLimit { termination = .outputLimit }
            }
            var status: Int32 = 0
            if termination == nil, waitpid(pid, &status, WNOHANG) == pid {
                termination = Self.termination(fromWaitStatus: status)
                let tasks = ProcessTable.taskCount(processGroup: pid)
                // Grandchildren go with their parent: nothing outlives a snippet.
                kill(-pid, SIGKILL)
                reader.drain()
                return ProcessOutcome(output: reader.bytes, termination: termination!,
                                      duration: Date().timeIntervalSince(start), tasksAtEnd: tasks)
            }
        }
        let tasks = ProcessTable.taskCount(processGroup: pid)
        kill(-pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        reader.drain()
        return ProcessOutcome(output: reader.bytes, termination: termination!, duration: Date().timeIntervalSince(start),
                              tasksAtEnd: tasks)
    }

    /// glibc has had `posix_spawn_file_actions_addchdir_np` since 2.29, but Swift's Glibc module
    /// does not export it; look it up once at run time.
    private typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    private static let addChdirFunction: AddChdir? = dlsym(nil, "posix_spawn_file_actions_addchdir_np")
        .map { unsafeBitCast($0, to: AddChdir.self) }

    private static func addChdir(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ path: String) -> Int32 {
        guard let function = addChdirFunction else { return -1 }
        return function(actions, path)
    }

    static func termination(fromWaitStatus status: Int32) -> Termination {
        let signal = status & 0x7f
        return signal == 0 ? .exited((status >> 8) & 0xff) : .signaled(signal)
    }
}

/// Reads a pipe without blocking past a poll interval, keeping at most `limit` bytes.
private struct PipeReader {
    let fd: Int32
    let limit: Int
    var bytes: [UInt8] = []
    var overLimit = false
    private var closed = false

    init(fd: Int32, limit: Int) {
        self.fd = fd
        self.limit = limit
    }

    mutating func poll(milliseconds: Int32) {
        guard !closed else {
            usleep(UInt32(milliseconds) * 1000)
            return
        }
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        if Glibc.poll(&entry, 1, milliseconds) > 0 { readAvailable() }
    }

    /// After the child is gone: whatever is left in the pipe, until end of file or a short wait.
    mutating func drain() {
        var rounds = 0
        while !closed && !overLimit && rounds < 20 {
            var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard Glibc.poll(&entry, 1, 50) > 0 else { return }
            readAvailable()
            rounds += 1
        }
    }

    private mutating func readAvailable() {
        var buffer = [UInt8](repeating: 0, count: 65536)
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if count <= 0 {
            closed = true
            return
        }
        let room = limit - bytes.count
        bytes.append(contentsOf: buffer[0..<min(count, max(0, room))])
        if count > room { overLimit = true }
    }
}

/// Every process group `notes` has started and not yet reaped, so an interrupted `notes` can stop them all.
public final class ProcessGroups: Sendable {
    public static let shared = ProcessGroups()
    private let groups = Mutex<Set<pid_t>>([])

    func insert(_ pid: pid_t) { groups.withLock { _ = $0.insert(pid) } }
    func remove(_ pid: pid_t) { groups.withLock { _ = $0.remove(pid) } }

    /// Kills every live group; called from the signal handler's dispatch source, not from the handler itself.
    public func killAll() {
        for pid in groups.withLock({ $0 }) { kill(-pid, SIGKILL) }
    }
}
