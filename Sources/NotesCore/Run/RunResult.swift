/// One run of a snippet's program, as a terminal would have shown it.
public struct RunResult: Sendable, Equatable, Codable {
    /// stdout and stderr in the order written, with the runtime's backtrace dump removed and,
    /// for a timeout or an output flood, one line saying how the run was stopped.
    public var output: String
    public var termination: Termination
    public var duration: Double
}

extension Termination {
    /// The line added to the output when `notes` stopped the program itself.
    var stopLine: String? {
        switch self {
        case .timedOut(let seconds): "[stopped after \(Int(seconds.rounded())) s: timeout]"
        case .outputLimit: "[output truncated: the snippet printed more than the output limit and was stopped]"
        default: nil
        }
    }

    public var summary: String {
        switch self {
        case .exited(0): "exited normally"
        case .exited(let code): "exited with code \(code)"
        case .signaled(let signal): "crashed (signal \(signal)\(signalName(signal).map { ", \($0)" } ?? ""))"
        case .timedOut(let seconds): "was still running after \(Int(seconds.rounded())) s"
        case .outputLimit: "printed more than the output limit"
        }
    }

    private func signalName(_ signal: Int32) -> String? {
        [4: "SIGILL", 5: "SIGTRAP", 6: "SIGABRT", 7: "SIGBUS", 8: "SIGFPE", 9: "SIGKILL", 11: "SIGSEGV", 15: "SIGTERM"][signal]
    }
}
