/// What a program is built with beyond its reader's `swiftc main.swift setup.swift`: only what observes
/// the program without changing what it means. ThreadSanitizer and line tables change neither its
/// diagnostics nor its output; `timeline.swift` is a file its reader compiles too (the page links it).
public struct Instrumentation: Sendable, Hashable {
    /// `-sanitize=thread`: for `expect=race`, and for every program under `verify --tsan`.
    public var threadSanitizer = false
    /// `-g`: so that the stacks of a hung program (`expect=timeout`) name Markdown lines.
    public var lineTables = false
    /// timeline.swift, which defines `span(_:_:)`, is compiled in (`timeline`).
    public var timeline = false

    public init(threadSanitizer: Bool = false, lineTables: Bool = false, timeline: Bool = false) {
        self.threadSanitizer = threadSanitizer
        self.lineTables = lineTables
        self.timeline = timeline
    }

    var flags: [String] {
        (threadSanitizer ? ["-sanitize=thread"] : []) + (threadSanitizer || lineTables ? ["-g"] : [])
    }
}

extension RunEntry {
    /// How this entry's program is built; `tsan` is `verify --tsan` (or `tsan: true` in notes.yaml).
    func instrumentation(tsan: Bool) -> Instrumentation {
        Instrumentation(threadSanitizer: tsan || expectation == .race,
                        lineTables: expectation == .timeout,
                        timeline: snippets.contains { $0.options.timeline })
    }
}
