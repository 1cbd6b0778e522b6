// timeline.swift: `span(_:_:)`, for the snippets of these notes that draw a timeline.
//
// Compile it beside your main.swift: `swiftc -swift-version 6 main.swift timeline.swift`.
// A span runs its closure and returns what the closure returns; that is all it does, unless the
// environment variable NOTES_TIMELINE names a file. Then each span also appends one line to that file
// (thread, task, task name, start and end in nanoseconds, label), from which notes draws the timeline.
import Foundation

/// Runs `body` as a span named `label` on the timeline, and returns its result.
@discardableResult
public func span<T, E: Error>(_ label: String, _ body: () throws(E) -> T) throws(E) -> T {
    let start = SpanLog.now()
    defer { SpanLog.record(label, start: start) }
    return try body()
}

/// Runs the asynchronous `body`, on the caller's actor, as a span named `label`, and returns its result.
@discardableResult
public func span<T, E: Error>(_ label: String, isolation: isolated (any Actor)? = #isolation,
                              _ body: () async throws(E) -> T) async throws(E) -> T {
    let start = SpanLog.now()
    defer { SpanLog.record(label, start: start) }
    return try await body()
}

private enum SpanLog {
    /// The file, opened once for appending; -1 when spans are not recorded.
    static let file: Int32 = {
        guard let path = ProcessInfo.processInfo.environment["NOTES_TIMELINE"] else { return -1 }
        return open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
    }()

    static func now() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }

    static func record(_ label: String, start: Int64) {
        guard file >= 0 else { return }
        let end = now()
        let thread = Thread.isMainThread ? "main" : String(UInt(bitPattern: Int(bitPattern: pthread_self())))
        let task = withUnsafeCurrentTask { task in task.map { String($0.hashValue) } ?? "" }
        let fields = [thread, task, Task.name ?? "", String(start), String(end), label]
        let line = fields.map { $0.replacing("\t", with: " ").replacing("\n", with: " ") }.joined(separator: "\t") + "\n"
        // One write per line: with O_APPEND, lines from different threads stay whole.
        _ = line.utf8CString.withUnsafeBufferPointer { write(file, $0.baseAddress, $0.count - 1) }
    }
}
