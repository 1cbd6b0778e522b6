import Foundation

/// Where each thread of a hung program waits, taken with gdb just before the program is stopped at its
/// timeout: the call it is blocked in, and its frames in the snippet or the page's setup, at their
/// Markdown lines. Tasks suspended on the cooperative pool have no thread and so no stack to show;
/// a pool thread blocked inside a task does.
public struct ThreadDump: Sendable, Equatable, Codable {
    public struct Frame: Sendable, Equatable, Codable {
        public var function: String
        public var page: String
        public var line: Int
    }

    public struct Thread: Sendable, Equatable, Codable {
        /// `main thread`, `thread 2`: threads other than the main one numbered from 1, in the order they started.
        public var name: String
        /// The call the snippet's code made that has not returned: `pthread_mutex_lock`,
        /// `DispatchSemaphore.wait()`.
        public var waitsIn: String
        /// Innermost first.
        public var frames: [Frame]
    }

    /// Threads with at least one frame of the page, in gdb's order (main thread first).
    public var threads: [Thread]
    /// Threads that never entered the snippet's code: the runtime's and Dispatch's workers.
    public var otherThreads: Int

    /// The lines shown under the snippet; `place` words a page line (`10-deadlocks.md:214`).
    public func text(place: (_ page: String, _ line: Int) -> String = { "\($0):\($1)" }) -> String {
        var lines: [String] = []
        for thread in threads {
            lines.append("\(thread.name) waits in \(thread.waitsIn)")
            for frame in thread.frames { lines.append("    \(frame.function) at \(place(frame.page, frame.line))") }
        }
        if otherThreads > 0 {
            lines.append("(and \(otherThreads) thread\(otherThreads == 1 ? "" : "s") of the runtime, outside the snippet's code)")
        }
        return lines.joined(separator: "\n")
    }

    /// What notes keeps of gdb's output (itself capped at 4 MiB), which shows whatever the program made
    /// of itself: thousands of threads, or a recursion a million frames deep. The threads with the lowest
    /// numbers (the main thread first) and the innermost frames, where a thread waits, are kept.
    static let maxThreads = 64, maxFrames = 64
    /// A real line is a few hundred bytes: longer ones are cut (in Unicode scalars).
    static let maxLine = 4096

    /// gdb on the running process `pid` (the program `binary`); nil when gdb cannot attach or prints no threads.
    static func capture(pid: pid_t, binary: String, pages: Set<String>, gdb: String, symbols: Symbols) -> ThreadDump? {
        guard let mapped = mapping(pid: pid, binary: binary) else { return nil }
        // `-nx`: no user's .gdbinit; no debuginfod: never the network. gdb's own line tables do not
        // read Swift's, so the frames' addresses go to llvm-symbolizer instead.
        let arguments = ["-nx", "-batch", "-p", String(pid), "-ex", "set debuginfod enabled off",
                         "-ex", "set print frame-info location-and-address", "-ex", "thread apply all bt"]
        guard let outcome = try? ChildProcess.run(gdb, arguments, environment: ["PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8"],
                                                  workingDirectory: "/", timeout: 30, outputLimit: 4 << 20) else { return nil }
        return dump(parse(String(decoding: outcome.output, as: UTF8.self)), mapped: mapped, binary: binary,
                    pages: pages, symbols: symbols)
    }

    /// The threads gdb printed (`parse`), with their frames in `binary` (mapped at `mapped`) placed on
    /// the pages' lines; nil when there are none.
    static func dump(_ raw: [RawThread], mapped: Range<UInt64>, binary: String, pages: Set<String>, symbols: Symbols) -> ThreadDump? {
        guard !raw.isEmpty else { return nil }
        let base = mapped.lowerBound
        // Return addresses point after the call; one byte back is inside it, on the caller's line.
        // Nil outside the binary (and for a return address at its very first byte, which has no "back").
        func offset(_ frame: RawFrame) -> UInt64? {
            guard mapped.contains(frame.address) else { return nil }
            let back: UInt64 = frame.index > 0 ? 1 : 0
            return frame.address - base >= back ? frame.address - base - back : nil
        }
        let offsets = raw.flatMap { $0.frames }.compactMap(offset)
        var places: [UInt64: (function: String, file: String, line: Int)] = [:]
        for (offset, place) in zip(offsets, symbols.locate(binary: binary, offsets: offsets)) { places[offset] = place }
        let callNames = symbols.demangle(raw.flatMap { $0.frames.map(\.function) } + places.values.map(\.function))
        var readable = Dictionary(zip(raw.flatMap { $0.frames.map(\.function) } + places.values.map(\.function), callNames),
                                  uniquingKeysWith: { first, _ in first })
        readable["??"] = "an unknown function"

        var threads: [Thread] = []
        var others = 0
        for (number, thread) in raw.enumerated() {
            var frames: [Frame] = []
            var firstOwn: Int?
            for (index, frame) in thread.frames.enumerated() {
                guard let offset = offset(frame), let place = places[offset], let page = Symbols.page(of: place.file, pages: pages) else { continue }
                firstOwn = firstOwn ?? index
                frames.append(Frame(function: readable[place.function] ?? place.function, page: page, line: place.line))
            }
            guard let firstOwn else { others += 1; continue }
            let call = firstOwn > 0 ? thread.frames[firstOwn - 1].function : thread.frames[0].function
            threads.append(Thread(name: number == 0 ? "main thread" : "thread \(number)",
                                  waitsIn: readable[call] ?? call, frames: frames))
        }
        return ThreadDump(threads: threads, otherThreads: others)
    }

    struct RawFrame: Equatable { var index: Int; var address: UInt64; var function: String }
    struct RawThread: Equatable { var number: Int; var frames: [RawFrame] }

    /// gdb's `thread apply all bt`, lowest thread number (the main thread) first; at most `maxThreads`
    /// threads of at most `maxFrames` frames. gdb prints the highest number first, so all are read.
    static func parse(_ text: String) -> [RawThread] {
        var threads: [RawThread] = []
        // Frames belong to the thread whose header is above them; none before the first header. A last
        // line without its newline was cut short (at the output's cap): it is not read.
        var inThread = false
        for line in TextLines(text, maxLength: maxLine, wholeLinesOnly: true) {
            if line.hasPrefix("Thread ") {
                let number = Int(line.dropFirst(7).prefix { $0.isASCII && $0.isNumber })
                inThread = number != nil
                if let number { threads.append(RawThread(number: number, frames: [])) }
            } else if line.hasPrefix("#"), inThread, threads[threads.count - 1].frames.count < maxFrames,
                      let frame = parseFrame(line) {
                threads[threads.count - 1].frames.append(frame)
            }
        }
        return Array(threads.sorted { $0.number < $1.number }.prefix(maxThreads))
    }

    /// `#4  0x0000559010e4124c in $s4mainyyYbcfU0_ ()`, or a frame 0 without its address:
    /// `#0  futex_wait (private=0, …) at …`.
    private static func parseFrame(_ line: Substring) -> RawFrame? {
        let words = line.split(separator: " ")
        guard words.count >= 2, let index = Int(words[0].dropFirst()) else { return nil }
        if words[1].hasPrefix("0x"), let address = UInt64(words[1].dropFirst(2), radix: 16) {
            let function = words.count >= 4 && words[2] == "in" ? String(words[3]) : "??"
            return RawFrame(index: index, address: address, function: function)
        }
        return RawFrame(index: index, address: 0, function: String(words[1]))
    }

    /// Where the kernel mapped `binary` in the process: from its first mapping (file offset 0, which is
    /// the load address of a position-independent executable) to the end of its last.
    private static func mapping(pid: pid_t, binary: String) -> Range<UInt64>? {
        // The program can map as many regions as it likes: only the first MiB is read.
        guard let maps = try? BoundedFile.read("/proc/\(pid)/maps", limit: BoundedFile.processMapsLimit) else { return nil }
        return mapping(maps: maps.text, binary: binary)
    }

    static func mapping(maps: String, binary: String) -> Range<UInt64>? {
        let resolved = URL(fileURLWithPath: binary).resolvingSymlinksInPath().path
        var start: UInt64?, end: UInt64 = 0
        for line in TextLines(maps, maxLength: maxLine, wholeLinesOnly: true) {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 6, fields[5] == binary || fields[5] == resolved else { continue }
            let range = fields[0].split(separator: "-").compactMap { UInt64($0, radix: 16) }
            guard range.count == 2 else { continue }
            if start == nil, fields[2] == "00000000" { start = range[0] }
            end = max(end, range[1])
        }
        guard let start, end > start else { return nil }
        return start..<end
    }
}
