/// One run of a snippet's program, as a terminal would have shown it.
public struct RunResult: Sendable, Equatable, Codable {
    /// stdout and stderr in the order written, with the runtime's backtrace dump removed and,
    /// for a timeout or an output flood, one line saying how the run was stopped.
    public var output: String
    /// Lines of `output` (0-based) that the program wrote to stderr; pages show them apart.
    public var stderrLines: [Int] = []
    public var termination: Termination
    public var duration: Double
    /// How many runs of a `repeat=` ended exactly like this one (same output, stderr lines and ending):
    /// only distinct runs are kept, so `repeat=1000` of a megabyte of output holds one megabyte, not a gigabyte.
    public var count = 1
    /// The data races ThreadSanitizer reported, in a program built with it (`expect=race`, `--tsan`).
    public var races: [RaceReport] = []
    /// Where each thread waited when an `expect=timeout` program was stopped; nil without gdb.
    public var threads: ThreadDump?
    /// The spans of a `timeline` snippet: with `repeat=`, of the median run only.
    public var timeline: Timeline?

    public init(output: String, stderrLines: [Int] = [], termination: Termination, duration: Double, count: Int = 1) {
        self.output = output
        self.stderrLines = stderrLines
        self.termination = termination
        self.duration = duration
        self.count = count
    }

    /// Alike but for timing (and for what TSan and gdb saw, which the first of them shows): counted as
    /// one more of the same run.
    func sameRun(as other: RunResult) -> Bool {
        output == other.output && stderrLines == other.stderrLines && termination == other.termination
    }
}

extension [RunResult] {
    /// How many runs these distinct runs stand for.
    public var total: Int { reduce(0) { $0 + $1.count } }
}

extension Termination {
    /// The line added to the output when `notes` stopped the program itself.
    var stopLine: String? {
        switch self {
        case .timedOut(let seconds): "[stopped after \(seconds.secondsText) s: timeout]"
        case .outputLimit: "[output truncated: the snippet printed more than the output limit and was stopped]"
        case .limit(let limit): "[stopped: \(limit.summary)]"
        case .refused(let reason): "[notes: \(reason)]"
        default: nil
        }
    }

    public var summary: String {
        switch self {
        case .exited(0): "exited normally"
        case .exited(let code): "exited with code \(code)"
        case .signaled(let signal): "crashed (signal \(signal)\(signalName(signal).map { ", \($0)" } ?? ""))"
        case .timedOut(let seconds): "was still running after \(seconds.secondsText) s"
        case .outputLimit: "printed more than the output limit"
        case .limit(let limit): "was stopped: \(limit.summary)"
        case .refused(let reason): "cannot be trusted: \(reason)"
        }
    }

    private func signalName(_ signal: Int32) -> String? {
        [4: "SIGILL", 5: "SIGTRAP", 6: "SIGABRT", 7: "SIGBUS", 8: "SIGFPE", 9: "SIGKILL", 11: "SIGSEGV", 15: "SIGTERM"][signal]
    }
}

extension SandboxLimit {
    public var summary: String {
        switch self {
        case .cpuSeconds(let seconds): "it used more than \(seconds) s of CPU time (SIGXCPU)"
        case .memoryBytes(let bytes): "it ran out of memory (the limit is \(mebibytes(bytes)))"
        case .fileBytes(let bytes): "it wrote a file larger than the \(mebibytes(bytes)) file size limit (SIGXFSZ)"
        case .processes(let count): "it started too many processes (the limit is \(count) processes and threads)"
        }
    }

    private func mebibytes(_ bytes: Int) -> String { "\(bytes >> 20) MiB" }
}

extension Double {
    /// `2` for whole seconds, `0.5` otherwise, as a fence's `timeout=` is written.
    var secondsText: String {
        self == rounded() ? String(Int(self)) : String(format: "%g", self)
    }
}
