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
    /// What the program handed back cannot be trusted (it printed a session boundary of its own, say):
    /// a failure whatever the fence expects. Set by `SnippetRunner`.
    case refused(String)
}

/// The sandbox limit a run ran into, with the limit's value, for a message that says what happened.
public enum SandboxLimit: Sendable, Equatable, Hashable, Codable {
    case cpuSeconds(Int)
    case memoryBytes(Int)
    case fileBytes(Int)
    case processes(Int)
}

/// What a child process printed (stdout and stderr, through two pipes read together, so in the order
/// they arrived) and how it ended.
public struct ProcessOutcome: Sendable {
    /// stdout and stderr together, in the order they arrived.
    public var output: [UInt8]
    /// Which bytes of `output` came from stderr.
    public var stderrRanges: [Range<Int>] = []
    public var termination: Termination
    public var duration: Double
    /// Tasks (processes and threads) still in its process group when it ended or was stopped,
    /// counted before they were killed: a fork bomb shows as a group at the process limit.
    public var tasksAtEnd = 0
    /// CPU time (user and system) the process itself used, from wait4: a SIGXCPU it raised itself
    /// is not the CPU limit.
    public var cpuSeconds: Double = 0
    /// The child's process id, which is also that of the program a launcher executed.
    public var pid: pid_t = 0
}

/// Spawns a program in a session (and so a process group) of its own, with stdin closed, and waits for
/// it with a deadline. A new session has no controlling terminal: nothing a child runs can read the
/// user's terminal or push keystrokes into it.
/// Foundation's `Process` cannot start a new process group, and a timeout must kill grandchildren too.
/// stdout and stderr come through two pipes polled together, so the output reads in the order it arrived
/// (as a terminal shows it) and still says which stream each byte came from.
public enum ChildProcess {
    /// `beforeTimeoutKill` gets the pid of a program still running at its deadline, before it is killed.
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String],
                           workingDirectory: String, timeout: Double, outputLimit: Int,
                           beforeTimeoutKill: ((pid_t) -> Void)? = nil) throws -> ProcessOutcome {
        var outFds: [Int32] = [0, 0], errFds: [Int32] = [0, 0]
        // Close-on-exec, all four ends: a child started meanwhile by another thread must not hold this
        // one's pipes open (its end of file would wait for that child). dup2 onto 1 and 2 clears the flag.
        guard closeOnExecPipe(&outFds) == 0 else { throw Diagnostic(file: executable, "cannot create a pipe") }
        guard closeOnExecPipe(&errFds) == 0 else {
            outFds.forEach { close($0) }
            throw Diagnostic(file: executable, "cannot create a pipe")
        }
        let start = Date()
        let spawned = Result {
            try ProcessGroups.shared.spawning {
                try spawn(executable, arguments, environment: environment, workingDirectory: workingDirectory,
                          stdout: outFds[1], stderr: errFds[1])
            }
        }
        close(outFds[1])
        close(errFds[1])
        var reader = PipeReader(stdout: outFds[0], stderr: errFds[0], limit: outputLimit)
        defer { reader.closeAll() }
        let pid = try spawned.get()
        defer { ProcessGroups.shared.remove(pid) }
        let (termination, tasks, usage) = supervise(pid, reader: &reader, deadline: start + timeout, timeout: timeout,
                                                    beforeTimeoutKill: beforeTimeoutKill)
        return ProcessOutcome(output: reader.bytes, stderrRanges: reader.stderrRanges, termination: termination,
                              duration: Date().timeIntervalSince(start), tasksAtEnd: tasks,
                              cpuSeconds: seconds(usage.ru_utime) + seconds(usage.ru_stime), pid: pid)
    }

    /// Starts `executable` in a new session, with stdin from /dev/null, the given pipes' write ends as
    /// stdout and stderr, no blocked signals, and SIGPIPE, SIGINT, SIGTERM and SIGCHLD at their defaults.
    private static func spawn(_ executable: String, _ arguments: [String], environment: [String: String],
                              workingDirectory: String, stdout: Int32, stderr: Int32) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        posix_spawn_file_actions_adddup2(&actions, stderr, 2)
        posix_spawn_file_actions_addclose(&actions, stdout)
        posix_spawn_file_actions_addclose(&actions, stderr)
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
        posix_spawnattr_setflags(&attributes, Int16(Self.newSession | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard spawned == 0 else { throw Diagnostic(file: executable, "cannot start: \(String(cString: strerror(spawned)))") }
        return pid
    }

    /// Reads the output until the program ends, overflows its limit or outlives the deadline; then kills
    /// its whole process group (grandchildren go with their parent: nothing outlives a snippet).
    /// Also gives how many tasks the group had at the end, to tell threads left running.
    private static func supervise(_ pid: pid_t, reader: inout PipeReader, deadline: Date, timeout: Double,
                                  beforeTimeoutKill: ((pid_t) -> Void)?) -> (Termination, tasks: Int, usage: rusage) {
        var usage = rusage()
        while true {
            let remaining = deadline.timeIntervalSinceNow
            var stopped: Termination?
            if remaining <= 0 {
                stopped = .timedOut(seconds: timeout)
            } else {
                reader.poll(milliseconds: Int32(min(50, max(1, remaining * 1000))))
                if reader.overLimit { stopped = .outputLimit }
            }
            var status: Int32 = 0
            if stopped == nil, wait4(pid, &status, WNOHANG, &usage) == pid {
                let tasks = ProcessTable.taskCount(processGroup: pid)
                kill(-pid, SIGKILL)
                reader.drain()
                return (termination(fromWaitStatus: status), tasks, usage)
            }
            guard let stopped else { continue }
            let tasks = ProcessTable.taskCount(processGroup: pid)
            if case .timedOut = stopped { beforeTimeoutKill?(pid) }
            kill(-pid, SIGKILL)
            while wait4(pid, &status, 0, &usage) == -1 && errno == EINTR {}
            reader.drain()
            return (stopped, tasks, usage)
        }
    }

    /// pipe2(fds, O_CLOEXEC), which Swift's Glibc module does not export (it is a GNU extension); looked
    /// up once at run time, with pipe and fcntl as the fallback.
    private typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
    private static let pipe2Function: Pipe2? = dlsym(nil, "pipe2").map { unsafeBitCast($0, to: Pipe2.self) }

    private static func closeOnExecPipe(_ fds: inout [Int32]) -> Int32 {
        if let pipe2 = pipe2Function { return fds.withUnsafeMutableBufferPointer { pipe2($0.baseAddress!, O_CLOEXEC) } }
        guard pipe(&fds) == 0 else { return -1 }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return 0
    }

    /// glibc's POSIX_SPAWN_SETSID (since 2.26), which Swift's Glibc module does not export.
    private static let newSession: Int32 = 0x80

    /// glibc has had `posix_spawn_file_actions_addchdir_np` since 2.29, but Swift's Glibc module
    /// does not export it; look it up once at run time.
    private typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    private static let addChdirFunction: AddChdir? = dlsym(nil, "posix_spawn_file_actions_addchdir_np")
        .map { unsafeBitCast($0, to: AddChdir.self) }

    private static func addChdir(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ path: String) -> Int32 {
        guard let function = addChdirFunction else { return -1 }
        return function(actions, path)
    }

    private static func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }

    static func termination(fromWaitStatus status: Int32) -> Termination {
        let signal = status & 0x7f
        return signal == 0 ? .exited((status >> 8) & 0xff) : .signaled(signal)
    }
}

/// Reads a child's stdout and stderr without blocking past a poll interval, keeping at most `limit` bytes
/// of the two together, and remembering which came from stderr.
private struct PipeReader {
    private var fds: [Int32]
    private var open: [Bool] = [true, true]
    let limit: Int
    var bytes: [UInt8] = []
    var stderrRanges: [Range<Int>] = []
    var overLimit = false

    init(stdout: Int32, stderr: Int32, limit: Int) {
        fds = [stdout, stderr]
        self.limit = limit
    }

    mutating func poll(milliseconds: Int32) {
        // Both pipes at end of file: the child has almost surely exited, and the caller's next
        // waitpid should see it at once, not after a whole poll interval (which cost every run 50 ms).
        guard open.contains(true) else {
            usleep(UInt32(min(milliseconds, 1)) * 1000)
            return
        }
        var entries = fds.indices.map { pollfd(fd: open[$0] ? fds[$0] : -1, events: Int16(POLLIN), revents: 0) }
        guard Glibc.poll(&entries, nfds_t(entries.count), milliseconds) > 0 else { return }
        // stdout first: a snippet's stdout is line-buffered (the sandbox sets it) and its stderr is not,
        // so when both are ready the stdout line was usually written first.
        for index in entries.indices where entries[index].revents != 0 { readAvailable(index) }
    }

    /// After the child is gone: whatever is left in the pipes, until end of file or a short wait.
    mutating func drain() {
        var rounds = 0
        while open.contains(true) && !overLimit && rounds < 20 {
            var entries = fds.indices.map { pollfd(fd: open[$0] ? fds[$0] : -1, events: Int16(POLLIN), revents: 0) }
            guard Glibc.poll(&entries, nfds_t(entries.count), 50) > 0 else { return }
            for index in entries.indices where entries[index].revents != 0 { readAvailable(index) }
            rounds += 1
        }
    }

    func closeAll() { fds.forEach { close($0) } }

    private mutating func readAvailable(_ index: Int) {
        var buffer = [UInt8](repeating: 0, count: 65536)
        let count = buffer.withUnsafeMutableBytes { read(fds[index], $0.baseAddress, $0.count) }
        // A signal or a spurious wake-up is not the end of the output: the next poll reads on.
        if count < 0, errno == EINTR || errno == EAGAIN { return }
        if count <= 0 {
            open[index] = false
            return
        }
        let room = max(0, limit - bytes.count)
        let kept = min(count, room)
        if index == 1, kept > 0 {
            // Extend the last stderr range when this chunk continues it.
            if let last = stderrRanges.last, last.upperBound == bytes.count {
                stderrRanges[stderrRanges.count - 1] = last.lowerBound..<(bytes.count + kept)
            } else {
                stderrRanges.append(bytes.count..<(bytes.count + kept))
            }
        }
        bytes.append(contentsOf: buffer[0..<kept])
        if count > room { overLimit = true }
    }
}

/// Every process group `notes` has started and not yet reaped, so an interrupted `notes` can stop them all.
public final class ProcessGroups: Sendable {
    public static let shared = ProcessGroups()
    private let groups = Mutex<Set<pid_t>>([])

    /// Starts a child and records it in one step, so `killOrphans` never takes it for an orphan.
    func spawning(_ spawn: () throws -> pid_t) throws -> pid_t {
        try groups.withLock { groups in
            let pid = try spawn()
            groups.insert(pid)
            return pid
        }
    }

    func remove(_ pid: pid_t) { groups.withLock { _ = $0.remove(pid) } }

    /// Once per process, before the first run: notes becomes the parent of every process its children
    /// leave behind (a `setsid` daemon whose parent exited), so that `killOrphans` can find them; and
    /// it is made not dumpable, so that a snippet running as the same user cannot read notes' own
    /// `/proc/PID` entries (its descriptors, its environment), which Landlock alone leaves listable.
    public static let prepareForRuns: Void = {
        typealias Prctl = @convention(c) (Int32, UInt, UInt, UInt, UInt) -> Int32
        // prctl is variadic, which Swift cannot call; every argument here is an integer.
        if let prctl = dlsym(nil, "prctl").map({ unsafeBitCast($0, to: Prctl.self) }) {
            _ = prctl(36 /* PR_SET_CHILD_SUBREAPER */, 1, 0, 0, 0)
            _ = prctl(4 /* PR_SET_DUMPABLE */, 0, 0, 0, 0)
        }
    }()

    /// Kills and reaps the children of notes it did not start: orphans that came to it as subreaper.
    /// Without root they cannot be found by user id, as a run's own user's processes are.
    func killOrphans() {
        groups.withLock { started in
            for _ in 0..<10 {
                let orphans = ProcessTable.processes().filter { $0.parent == getpid() && !started.contains($0.pid) }
                if orphans.isEmpty { return }
                for orphan in orphans {
                    kill(orphan.pid, SIGKILL)
                    var status: Int32 = 0
                    waitpid(orphan.pid, &status, 0)
                }
            }
        }
    }

    /// Kills every live group; called from the signal handler's dispatch source, not from the handler itself.
    public func killAll() {
        for pid in groups.withLock({ $0 }) { kill(-pid, SIGKILL) }
    }
}
