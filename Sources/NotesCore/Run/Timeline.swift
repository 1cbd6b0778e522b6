/// What a `timeline` snippet's program recorded with `span(_:_:)` (Compile/Sandbox/timeline.swift):
/// which lane (a thread, or a task) ran which named span, and when. Drawn under the output; never
/// part of the output check, since timing changes on every run.
public struct Timeline: Sendable, Equatable, Codable {
    public struct Span: Sendable, Equatable, Codable {
        /// Index into `lanes`.
        public var lane: Int
        public var label: String
        /// Milliseconds since the first span of the run began.
        public var start: Double
        public var end: Double

        public init(lane: Int, label: String, start: Double, end: Double) {
            self.lane = lane
            self.label = label
            self.start = start
            self.end = end
        }
    }

    /// Lane names in order of first appearance: `main thread`, `thread 2`, `task 1`.
    public var lanes: [String]
    public var spans: [Span]
    /// Which run this is (1-based) and of how many: with `repeat=`, the run of median duration.
    public var run = 1
    public var runs = 1
    /// The program recorded more than notes keeps (`maxSpans`, `maxLanes`): these are the first.
    public var truncated = false

    /// What notes keeps of a program's spans: the file is the program's to write, so it may hold
    /// anything. The drawing shows fewer (TimelineSVG.maxSpans).
    static let maxSpans = 10_000, maxLanes = 64
    /// Labels and task names longer than this many Unicode scalars are cut, with "…".
    static let maxLabel = 200

    public init(lanes: [String], spans: [Span], run: Int = 1, runs: Int = 1, truncated: Bool = false) {
        self.lanes = lanes
        self.spans = spans
        self.run = run
        self.runs = runs
        self.truncated = truncated
    }

    /// From the end of the first span to start to the end of the last to finish, in milliseconds.
    public var duration: Double { Self.duration(of: spans) }

    /// From the start of the first of `spans` to the end of the last, in milliseconds (0 for none).
    static func duration(of spans: [Span]) -> Double { (spans.map(\.end).max() ?? 0) - (spans.map(\.start).min() ?? 0) }

    /// The lines `timeline.swift` appended (thread, task, task name, start and end in ns, label), as
    /// lanes: one per task, or per thread for spans outside tasks, in order of their first span. A task
    /// without a name whose first span ran on the main thread is the program's main task.
    /// Lines that are not what `timeline.swift` writes are skipped; past the caps, spans are dropped.
    static func parse(_ text: String) -> Timeline? {
        var rows: [Row] = [], truncated = false
        // Only lines with their newline: `timeline.swift` writes each whole, so one without was cut short.
        let utf8 = text.utf8
        var lineStart = utf8.startIndex
        while let newline = utf8[lineStart...].firstIndex(of: UInt8(ascii: "\n")) {
            defer { lineStart = utf8.index(after: newline) }
            guard let row = Row(utf8[lineStart..<newline]) else { continue }
            guard rows.count < maxSpans else { truncated = true; break }
            rows.append(row)
        }
        guard let origin = rows.map(\.start).min() else { return nil }
        rows.sort { $0.start < $1.start }
        var lanes: [String] = [], laneIndex: [String: Int] = [:], numbered: [String: Int] = [:]
        var spans: [Span] = []
        for row in rows {
            if laneIndex[row.key] == nil {
                guard lanes.count < maxLanes else { truncated = true; continue }
                laneIndex[row.key] = lanes.count
                if let name = row.name {
                    lanes.append(name)
                } else {
                    numbered[row.kind, default: 0] += 1
                    lanes.append("\(row.kind) \(numbered[row.kind]!)")
                }
            }
            // Both times are at least `origin`, which is at least 0: the differences cannot overflow.
            spans.append(Span(lane: laneIndex[row.key]!, label: row.label,
                              start: Double(row.start - origin) / 1e6, end: Double(row.end - origin) / 1e6))
        }
        return Timeline(lanes: lanes, spans: spans, truncated: truncated)
    }

    /// One line of the file: its lane (`key`, and `name` unless numbered), times and label.
    private struct Row {
        var key: String, name: String?, kind: String, start: Int64, end: Int64, label: String

        init?(_ line: Substring.UTF8View) {
            let parts = line.split(separator: UInt8(ascii: "\t"), maxSplits: 6, omittingEmptySubsequences: false)
            // Thread and task are numbers (or `main`), 20 digits at most: anything longer is forged.
            guard parts.count == 6, parts[0].count <= 24, parts[1].count <= 24 else { return nil }
            let fields = parts.map { String(Substring($0)) }
            // CLOCK_MONOTONIC is never negative, and a span ends after it starts.
            guard let start = Int64(fields[3]), let end = Int64(fields[4]), start >= 0, end >= start else { return nil }
            let (thread, task, taskName) = (fields[0], fields[1], Timeline.cut(fields[2]))
            let onMain = thread == "main"
            (kind, key) = task.isEmpty ? ("thread", "thread " + thread) : ("task", "task " + task)
            name = task.isEmpty ? (onMain ? "main thread" : nil) : taskName.isEmpty ? (onMain ? "main task" : nil) : taskName
            (self.start, self.end, label) = (start, end, Timeline.cut(fields[5]))
        }
    }

    /// At most `maxLabel` Unicode scalars (a Character can hold any number of them).
    static func cut(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let end = scalars.index(scalars.startIndex, offsetBy: maxLabel, limitedBy: scalars.endIndex),
              end != scalars.endIndex else { return text }
        return String(scalars[..<end]) + "…"
    }
}
