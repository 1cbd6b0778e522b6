import Foundation

/// What one snippet run may use. CPU time follows the run's timeout; the rest come from `notes.yaml`.
/// Memory and processes bound each process (rlimits) and, as root, the whole run together (`RunBounds`).
public struct SandboxLimits: Sendable, Equatable, Codable {
    /// Address space (RLIMIT_AS): virtual, so thread stacks and malloc arenas count in full.
    public var memoryBytes = 4 << 30
    /// Largest file the program may write (RLIMIT_FSIZE).
    public var fileBytes = 64 << 20
    /// Processes and threads it may run at once (RLIMIT_NPROC).
    public var processes = 256
    /// Bytes of output kept before the program is stopped.
    public var outputBytes = 1 << 20
    /// Bytes and files the whole run may keep in its folder (a tmpfs, when notes runs as root).
    public var diskBytes = 256 << 20
    public var files = 10_000

    public init() {}

    /// CPU time across all threads may exceed wall time on several cores; leave room for that.
    func cpuSeconds(timeout: Double) -> Int { Int(timeout.rounded(.up)) * ProcessInfo.processInfo.activeProcessorCount + 5 }

    /// Descriptors the program may hold open at once (RLIMIT_NOFILE).
    static let openFiles = 1024

    /// The launcher's settings (`notes-launch`) for one run. RLIMIT_NPROC counts every process of the
    /// user, so without a user of its own the run's allowance comes on top of what the user already runs.
    /// `addressSpace`: whether memory is bounded by RLIMIT_AS. Not under ThreadSanitizer, which reserves
    /// terabytes of address space for its shadow memory, nor where a cgroup bounds the run's memory.
    func launchSettings(timeout: Double, user: uid_t?, addressSpace: Bool = true) -> [String] {
        let running = user == nil ? ProcessTable.taskCount(user: getuid()) : 0
        var settings: [String] = [
            SandboxSetting.cpuSeconds(cpuSeconds(timeout: timeout)),
            SandboxSetting.fileBytes(fileBytes),
            SandboxSetting.processes(running + processes),
            SandboxSetting.openFiles(Self.openFiles),
            SandboxSetting.parent(getpid()),
        ]
        if let user { settings.append(SandboxSetting.user(user)) }
        if addressSpace { settings.append(SandboxSetting.memoryBytes(memoryBytes)) }
        return settings
    }
}
