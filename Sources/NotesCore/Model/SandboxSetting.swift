/// How notes hands the sandbox its settings. `notes-launch` (Sources/notes-launch/launch.c) takes
/// `NAME=VALUE` arguments before `--` and confines the process before it executes the program; the
/// object linked into programs (`notes_sandbox.c`) reads one environment variable, which it removes.
enum SandboxSetting: String, CaseIterable {
    case cpuSeconds = "cpu-seconds"
    case memoryBytes = "memory-bytes"
    case fileBytes = "file-bytes"
    case processes = "processes"
    case openFiles = "open-files"
    /// notes' pid: a launcher whose parent is another process exits at once.
    case parent = "parent"
    /// The run's own user, when notes runs as root.
    case user = "uid"
    /// A `cgroup.procs` file the process joins (several may be given).
    case cgroup = "cgroup"
    /// A folder the program may read and execute beneath, beyond the system's (several may be given).
    case read = "read"
    /// A folder the program may create files in and write them, but not remove, rename or truncate them.
    case appendOnly = "append-only"
    /// `kill-all=UID`: kill every process of that user, run nothing.
    case killAll = "kill-all"
    /// `probe=landlock`: print the kernel's Landlock ABI version, run nothing.
    case probe = "probe"

    func callAsFunction(_ value: some CustomStringConvertible) -> String { "\(rawValue)=\(value)" }

    /// The exit status of a launcher that could not confine the process; the program never ran.
    static let launchFailed: Int32 = 125
}

/// The one environment variable of the contract: the sandbox object makes stdout line-buffered when it is set.
enum SandboxVariable: String, CaseIterable {
    case lineBuffered = "NOTES_LINE_BUFFERED"

    /// `-DENV_LINE_BUFFERED="NOTES_LINE_BUFFERED"`, for the C compiler.
    var macro: String { "-DENV_\(rawValue.dropFirst("NOTES_".count))=\"\(rawValue)\"" }
}
