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

    /// What notes keeps of a log that the program could have forged or cut short, so that reading it
    /// takes time and memory in proportion to the log (itself capped: BoundedFile.raceLogsLimit).
    /// TSan reports each race at most a few times; a real report has two accesses and stacks of tens of frames.
    static let maxReports = 50, maxParsed = 200, maxAccesses = 8, maxFrames = 64
    /// A real line is at most a few hundred bytes: a longer one is cut (in Unicode scalars).
    static let maxLine = 4096

    /// The races in ThreadSanitizer's log (`log_path` files), one per variable and pair of functions:
    /// TSan often reports one race twice, as a Swift access race and as a data race. Frames are kept
    /// only from `pages`, the Markdown files the program was compiled from.
    static func parse(_ log: String, pages: Set<String>, binary: String, symbols: Symbols) -> [RaceReport] {
        var reports: [RaceReport] = [], exact: [Int] = []
        var unplaced: [(report: Int, access: Int, offset: UInt64)] = []
        var block: Block?
        func finish() {
            // A report without accesses is dropped too: what follows it belongs to no report.
            defer { block = nil }
            guard let parsed = block?.finish() else { return }
            unplaced += parsed.unplaced.map { (reports.count, $0.access, $0.offset) }
            reports.append(parsed.report)
            exact.append(parsed.exact)
        }
        // Reports are `==================`, a `WARNING: ThreadSanitizer: …` header, then indented lines.
        // A header also ends the report before it, should the separator be missing. A last line without
        // its newline was cut short (at BoundedFile's cap): TSan writes whole lines, so it is not read.
        for line in TextLines(log, maxLength: maxLine, wholeLinesOnly: true) {
            if line.hasPrefix("=================="), line.allSatisfy({ $0 == "=" }) {
                finish()
            } else if line.hasPrefix(Self.header) {
                finish()
                guard reports.count < maxParsed else { break }
                block = Block(header: line.dropFirst(Self.header.count), pages: pages)
            } else {
                block?.add(line)
            }
        }
        finish()
        // TSan's Swift access reports point at the instrumentation call, which has no line; the
        // instruction after it, the access itself, has.
        let places = symbols.locate(binary: binary, offsets: unplaced.map { $0.offset &+ 1 })
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
        var unique: [(report: RaceReport, exact: Int)] = [], seen: [String: Int] = [:]
        for (report, exactAccesses) in zip(reports, exact) {
            let key = ([report.location] + report.accesses.map(\.function).sorted()).joined(separator: "|")
            if let index = seen[key] {
                if exactAccesses > unique[index].exact { unique[index] = (report, exactAccesses) }
            } else if unique.count < maxReports {
                seen[key] = unique.count
                unique.append((report, exactAccesses))
            }
        }
        return unique.map(\.report)
    }

    private static let header = "WARNING: ThreadSanitizer: "

    /// `global '$s4main7counterSivp'` was demangled as a whole name: give it back its word.
    private static func describe(_ location: String) -> String {
        if location.hasPrefix("heap block") { return "an object on the heap" }
        return location.hasPrefix("stack") || location.contains(" ") ? location : "global '\(location)'"
    }

    /// One report, read a line at a time: its accesses, each with the frames of its stack, and where
    /// the variable is.
    private struct Block {
        var kind: String
        let pages: Set<String>
        var accesses: [Access] = []
        var location = "an unknown location"
        var frames: [Frame] = []
        var current: (kind: String, thread: String)?
        /// For how many accesses the innermost frame in the page has a line; the accesses whose
        /// innermost frame has none, with its offset in the binary.
        var exact = 0
        var unplaced: [(access: Int, offset: UInt64)] = []

        /// Anything but a race (`thread leak`, `heap-use-after-free`) is no report of ours.
        init?(header: Substring, pages: Set<String>) {
            guard header.contains("race") else { return nil }
            kind = String(header)
            if let pid = kind.range(of: " (pid=") { kind = String(kind[..<pid.lowerBound]) }
            self.pages = pages
        }

        mutating func add(_ line: Substring) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("#"), current != nil {
                if frames.count < RaceReport.maxFrames, let frame = RaceReport.parseFrame(trimmed) { frames.append(frame) }
            } else if trimmed.hasPrefix("Location is ") {
                finishAccess()
                location = RaceReport.parseLocation(trimmed.dropFirst("Location is ".count))
            } else if line.hasPrefix("  "), !line.hasPrefix("    "), trimmed.hasSuffix(":"), trimmed.contains(" by ") {
                finishAccess()
                current = RaceReport.parseAccess(trimmed)
                frames = []
            } else if !trimmed.hasPrefix("#") {
                finishAccess()
            }
        }

        private mutating func finishAccess() {
            guard let access = current else { return }
            current = nil
            guard accesses.count < RaceReport.maxAccesses else { return }
            guard let innermost = frames.first(where: { Symbols.page(of: $0.file, pages: pages) != nil }) else {
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

        /// The report, or nil when it names no access (a log cut short after its header).
        mutating func finish() -> (report: RaceReport, exact: Int, unplaced: [(access: Int, offset: UInt64)])? {
            finishAccess()
            return accesses.isEmpty ? nil : (RaceReport(kind: kind, accesses: accesses, location: location), exact, unplaced)
        }
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
        // `thread T1` → `thread 1`, in the style of timelines and thread dumps (the number is TSan's own).
        thread = thread.replacingOccurrences(of: "thread T", with: "thread ")
        return (what.prefix(1).lowercased() + what.dropFirst(), thread)
    }

    private struct Frame { var function: String; var file: String; var line: Int?; var offset: UInt64? }

    /// `#1 $s4mainyyYbcfU_ /tmp/x/02-races.md:12:18 (main+0xfc725) (BuildId: …)`.
    private static func parseFrame(_ text: String) -> Frame? {
        let parts = text.split(separator: " ")
        guard parts.count >= 3 else { return nil }
        // Not omitting empty pieces: a forged `:::` still has a first one.
        let place = parts[2].split(separator: ":", omittingEmptySubsequences: false)
        let line = place.count >= 2 ? Int(place[1]) : nil
        let offset = parts.dropFirst(3).first { $0.hasPrefix("(") && $0.contains("+0x") }
            .flatMap { UInt64($0.split(separator: "+0x").last?.dropLast() ?? "", radix: 16) }
        return Frame(function: String(parts[1]), file: String(place[0]), line: line.flatMap { $0 > 0 ? $0 : nil }, offset: offset)
    }
}
