import Foundation

/// One data race as ThreadSanitizer reported it, cut down to what a student needs: the kind of race,
/// the two accesses (thread, function, Markdown line) and the variable. No addresses, build ids or
/// library frames.
public struct RaceReport: Sendable, Equatable, Codable {
    public struct Access: Sendable, Equatable, Codable {
        /// `modifying access`, `previous read`: what TSan calls the access, without its size.
        public var kind: String
        /// `thread T1`, `main thread`.
        public var thread: String
        /// The snippet's function the access is in: `bump()`, `closure #1 in top-level code`.
        public var function: String
        /// Page path (as in `#sourceLocation`) and line; nil when no frame of the page has a line.
        public var page: String?
        public var line: Int?

        public init(kind: String, thread: String, function: String, page: String? = nil, line: Int? = nil) {
            self.kind = kind
            self.thread = thread
            self.function = function
            self.page = page
            self.line = line
        }
    }

    /// `Swift access race`, `data race`.
    public var kind: String
    public var accesses: [Access]
    /// `global 'counter'`, `an object on the heap`.
    public var location: String

    /// The lines shown under the snippet; `place` words a page line (`02-races.md:64`).
    public func text(place: (_ page: String, _ line: Int) -> String = { "\($0):\($1)" }) -> String {
        var lines = ["ThreadSanitizer: \(kind) on \(location)"]
        for access in accesses {
            let at = access.page.map { page in access.line.map { " at " + place(page, $0) } ?? " in \(page)" } ?? ""
            lines.append("  \(access.kind) by \(access.thread), in \(access.function)\(at)")
        }
        return lines.joined(separator: "\n")
    }

    /// The races in ThreadSanitizer's log (`log_path` files), one per variable and pair of functions:
    /// TSan often reports one race twice, as a Swift access race and as a data race. Frames are kept
    /// only from `pages`, the Markdown files the program was compiled from.
    static func parse(_ log: String, pages: Set<String>, binary: String, symbols: Symbols) -> [RaceReport] {
        var reports: [RaceReport] = [], exact: [Int] = []
        var unplaced: [(report: Int, access: Int, offset: UInt64)] = []
        for block in log.components(separatedBy: "==================\n") {
            guard let parsed = parseOne(block, pages: pages) else { continue }
            unplaced += parsed.unplaced.map { (reports.count, $0.access, $0.offset) }
            reports.append(parsed.report)
            exact.append(parsed.exact)
        }
        // TSan's Swift access reports point at the instrumentation call, which has no line; the
        // instruction after it, the access itself, has.
        let places = symbols.locate(binary: binary, offsets: unplaced.map { $0.offset + 1 })
        for (pending, place) in zip(unplaced, places) {
            guard let place, Symbols.page(of: place.file, pages: pages) != nil else { continue }
            reports[pending.report].accesses[pending.access].line = place.line
            exact[pending.report] += 1
        }
        let names = reports.flatMap { [$0.location] + $0.accesses.map(\.function) }
        var readable = symbols.demangle(names).makeIterator()
        for index in reports.indices {
            reports[index].location = readable.next() ?? reports[index].location
            for access in reports[index].accesses.indices {
                reports[index].accesses[access].function = readable.next() ?? ""
            }
            reports[index].location = Self.describe(reports[index].location)
        }
        // One race is often reported more than once: as a Swift access race and as a data race, and again
        // between other threads running the same code. Reports of one variable from the same functions are
        // one race; the first is kept, unless another has a line for more accesses where they happen
        // (TSan's Swift access reports lack some).
        var unique: [(report: RaceReport, exact: Int)] = []
        func key(_ report: RaceReport) -> String { report.location + "|" + report.accesses.map(\.function).sorted().joined(separator: "|") }
        for (report, exactAccesses) in zip(reports, exact) {
            if let index = unique.firstIndex(where: { key($0.report) == key(report) }) {
                if exactAccesses > unique[index].exact { unique[index] = (report, exactAccesses) }
            } else {
                unique.append((report, exactAccesses))
            }
        }
        return unique.map(\.report)
    }

    /// `global '$s4main7counterSivp'` was demangled as a whole name: give it back its word.
    private static func describe(_ location: String) -> String {
        if location.hasPrefix("heap block") { return "an object on the heap" }
        return location.hasPrefix("stack") || location.contains(" ") ? location : "global '\(location)'"
    }

    /// The report in one block of the log; for how many accesses the innermost frame in the page has a
    /// line; and the accesses whose innermost frame has none, with its offset in the binary.
    private static func parseOne(_ block: String, pages: Set<String>)
        -> (report: RaceReport, exact: Int, unplaced: [(access: Int, offset: UInt64)])? {
        let lines = block.split(separator: "\n").map(String.init)
        guard let header = lines.first(where: { $0.hasPrefix("WARNING: ThreadSanitizer: ") }),
              header.contains("race") else { return nil }
        var kind = String(header.dropFirst("WARNING: ThreadSanitizer: ".count))
        if let pid = kind.range(of: " (pid=") { kind = String(kind[..<pid.lowerBound]) }
        var accesses: [Access] = []
        var location = "an unknown location"
        var frames: [Frame] = []
        var current: (kind: String, thread: String)?
        var exact = 0
        var unplaced: [(access: Int, offset: UInt64)] = []
        func finishAccess() {
            guard let access = current else { return }
            current = nil
            let inPages = frames.filter { Symbols.page(of: $0.file, pages: pages) != nil }
            guard let innermost = inPages.first else {
                accesses.append(Access(kind: access.kind, thread: access.thread, function: frames.first?.function ?? "?"))
                return
            }
            if innermost.line != nil {
                exact += 1
            } else if let offset = innermost.offset {
                unplaced.append((accesses.count, offset))
            }
            accesses.append(Access(kind: access.kind, thread: access.thread, function: innermost.function,
                                   page: Symbols.page(of: innermost.file, pages: pages), line: innermost.line))
        }
        for line in lines {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("#"), current != nil {
                if let frame = parseFrame(trimmed) { frames.append(frame) }
            } else if trimmed.hasPrefix("Location is ") {
                finishAccess()
                location = parseLocation(trimmed.dropFirst("Location is ".count))
            } else if line.hasPrefix("  "), !line.hasPrefix("    "), trimmed.hasSuffix(":"), trimmed.contains(" by ") {
                finishAccess()
                current = parseAccess(trimmed)
                frames = []
            } else if !trimmed.hasPrefix("#") {
                finishAccess()
            }
        }
        finishAccess()
        return accesses.isEmpty ? nil : (RaceReport(kind: kind, accesses: accesses, location: location), exact, unplaced)
    }

    /// `global 'counter' of size 8 at …` → `counter`; anything else up to its size.
    private static func parseLocation(_ rest: Substring) -> String {
        if rest.hasPrefix("global '"), let end = rest.dropFirst(8).firstIndex(of: "'") {
            return String(rest.dropFirst(8)[..<end])
        }
        return rest.components(separatedBy: " of size").first ?? String(rest)
    }

    /// `Write of size 8 at 0x… by thread T1:` → (`write`, `thread 1`); nil for the lines that say where
    /// a thread or mutex was made, which head no access.
    private static func parseAccess(_ trimmed: String) -> (kind: String, thread: String)? {
        guard let by = trimmed.range(of: " by "), !trimmed.hasPrefix("Thread "), !trimmed.hasPrefix("Mutex ") else { return nil }
        var what = String(trimmed[..<by.lowerBound])
        if let at = what.range(of: " at 0x") { what = String(what[..<at.lowerBound]) }
        if let size = what.range(of: " of size ") { what = String(what[..<size.lowerBound]) }
        var thread = String(trimmed[by.upperBound...].dropLast())
        if let paren = thread.range(of: " (") { thread = String(thread[..<paren.lowerBound]) }
        // `thread T1` → `thread 1`, as timelines and thread dumps number them.
        thread = thread.replacingOccurrences(of: "thread T", with: "thread ")
        return (what.prefix(1).lowercased() + what.dropFirst(), thread)
    }

    private struct Frame { var function: String; var file: String; var line: Int?; var offset: UInt64? }

    /// `#1 $s4mainyyYbcfU_ /tmp/x/02-races.md:12:18 (main+0xfc725) (BuildId: …)`.
    private static func parseFrame(_ text: String) -> Frame? {
        let parts = text.split(separator: " ")
        guard parts.count >= 3 else { return nil }
        let place = parts[2].split(separator: ":")
        let line = place.count >= 2 ? Int(place[1]) : nil
        let offset = parts.dropFirst(3).first { $0.hasPrefix("(") && $0.contains("+0x") }
            .flatMap { UInt64($0.split(separator: "+0x").last?.dropLast() ?? "", radix: 16) }
        return Frame(function: String(parts[1]), file: String(place[0]), line: line.flatMap { $0 > 0 ? $0 : nil }, offset: offset)
    }
}
