/// What a program is built with beyond its reader's `swiftc main.swift setup.swift`: only what observes
/// the program without changing what it means. ThreadSanitizer and line tables change neither its
/// diagnostics nor its output; `timeline.swift` is a file its reader compiles too (the page links it).
public struct Instrumentation: Sendable, Hashable, Codable {
    /// `-sanitize=thread`: for `expect=race`, and for every program under `verify --tsan`.
    public var threadSanitizer = false
    /// Line tables, so that the stacks of a hung program (`expect=timeout`) name Markdown lines.
    public var lineTables = false
    /// timeline.swift, which defines `span(_:_:)`, is compiled in (`timeline`).
    public var timeline = false

    public init(threadSanitizer: Bool = false, lineTables: Bool = false, timeline: Bool = false) {
        self.threadSanitizer = threadSanitizer
        self.lineTables = lineTables
        self.timeline = timeline
    }

    /// `-gline-tables-only`, not `-g`: with `-g` the driver first runs a separate emit-module job, and when
    /// that fails it stops before the errors in function bodies are found, so a reader's plain `swiftc`
    /// would print errors this build does not.
    var flags: [String] {
        (threadSanitizer ? ["-sanitize=thread"] : []) + (threadSanitizer || lineTables ? ["-gline-tables-only"] : [])
    }
}

extension RunEntry {
    /// How this entry's program is built; `tsan` is `verify --tsan` (or `tsan: true` in notes.yaml).
    /// A program that must not compile is never run, so it is built exactly as its reader builds it.
    func instrumentation(tsan: Bool) -> Instrumentation {
        guard expectation != .compileError else { return Instrumentation() }
        return Instrumentation(threadSanitizer: tsan || expectation == .race,
                        lineTables: expectation == .timeout,
                        timeline: snippets.contains { $0.options.timeline })
    }
}
