/// What a `timeline` snippet's program recorded with `span(_:_:)` (Compile/Timeline/timeline.swift):
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

    public init(lanes: [String], spans: [Span], run: Int = 1, runs: Int = 1) {
        self.lanes = lanes
        self.spans = spans
        self.run = run
        self.runs = runs
    }

    /// From the end of the first span to start to the end of the last to finish, in milliseconds.
    public var duration: Double { (spans.map(\.end).max() ?? 0) - (spans.map(\.start).min() ?? 0) }

    /// The lines `timeline.swift` appended (thread, task, task name, start and end in ns, label), as
    /// lanes: one per task, or per thread for spans outside tasks, in order of their first span. A task
    /// without a name whose first span ran on the main thread is the program's main task.
    static func parse(_ text: String) -> Timeline? {
        struct Row { var key: String; var name: String?; var kind: String; var start: Int64; var end: Int64; var label: String }
        var rows: [Row] = []
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 6, let start = Int64(fields[3]), let end = Int64(fields[4]), end >= start else { continue }
            let (thread, task, taskName) = (fields[0], fields[1], fields[2])
            let onMain = thread == "main"
            let row = task.isEmpty
                ? Row(key: "thread " + thread, name: onMain ? "main thread" : nil, kind: "thread", start: start, end: end, label: fields[5])
                : Row(key: "task " + task, name: taskName.isEmpty ? (onMain ? "main task" : nil) : taskName, kind: "task",
                      start: start, end: end, label: fields[5])
            rows.append(row)
        }
        guard let origin = rows.map(\.start).min() else { return nil }
        rows.sort { $0.start < $1.start }
        var lanes: [String] = [], laneIndex: [String: Int] = [:], numbered: [String: Int] = [:]
        var spans: [Span] = []
        for row in rows {
            if laneIndex[row.key] == nil {
                laneIndex[row.key] = lanes.count
                if let name = row.name {
                    lanes.append(name)
                } else {
                    numbered[row.kind, default: 0] += 1
                    lanes.append("\(row.kind) \(numbered[row.kind]!)")
                }
            }
            spans.append(Span(lane: laneIndex[row.key]!, label: row.label,
                              start: Double(row.start - origin) / 1e6, end: Double(row.end - origin) / 1e6))
        }
        return Timeline(lanes: lanes, spans: spans)
    }
}
