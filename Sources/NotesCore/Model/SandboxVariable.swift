/// How notes hands the sandbox its settings: environment variables that `notes_sandbox.c` reads and
/// removes before `main`. The C source gets the names from here, as macros (`SandboxObject`).
enum SandboxVariable: String, CaseIterable {
    case parentPID = "NOTES_PARENT_PID"
    case fileBytes = "NOTES_FILE_BYTES"
    case cpuSeconds = "NOTES_CPU_SECONDS"
    case memoryBytes = "NOTES_MEMORY_BYTES"
    case processes = "NOTES_PROCESSES"
    case user = "NOTES_SANDBOX_UID"

    /// `-DENV_PARENT_PID="NOTES_PARENT_PID"`, for the C compiler.
    var macro: String { "-DENV_\(rawValue.dropFirst("NOTES_".count))=\"\(rawValue)\"" }
}
