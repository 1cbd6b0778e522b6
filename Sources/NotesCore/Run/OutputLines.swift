import Foundation

/// A run's output as lines that remember whether they came from stderr, so that cleaning it and
/// splitting a session at its boundaries keeps track of which lines the page shows as errors.
struct OutputLines {
    struct Line {
        var text: Substring
        var isError: Bool
    }

    /// Split at `\n`; the last line is what follows the last newline (empty when the output ends with one).
    var lines: [Line]

    /// A line counts as stderr when every byte of it, and of its newline, came from stderr.
    /// Newlines are found with memchr on the contiguous UTF-8: walking String indices byte by byte
    /// took 0.1 s a megabyte in a debug build, so `repeat=1000` of a megabyte took minutes.
    init(bytes: [UInt8], stderrRanges: [Range<Int>]) {
        var text = String(decoding: bytes, as: UTF8.self)
        let newlines: [Int] = text.withUTF8 { buffer in
            guard let base = buffer.baseAddress else { return [] }
            var found: [Int] = []
            var offset = 0
            while offset < buffer.count, let hit = memchr(base + offset, 10, buffer.count - offset) {
                let index = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
                found.append(index)
                offset = index + 1
            }
            return found
        }
        let stderr = StderrCover(stderrRanges)
        let utf8 = text.utf8
        var lines: [Line] = []
        lines.reserveCapacity(newlines.count + 1)
        var start = 0
        for newline in newlines {
            let line = text[utf8.index(utf8.startIndex, offsetBy: start)..<utf8.index(utf8.startIndex, offsetBy: newline)]
            lines.append(Line(text: line, isError: stderr.covers(start..<(newline + 1))))
            start = newline + 1
        }
        lines.append(Line(text: text[utf8.index(utf8.startIndex, offsetBy: start)...],
                          isError: stderr.covers(start..<utf8.count)))
        self.lines = lines
    }

    init(lines: [Line]) { self.lines = lines }

    var text: String { lines.map(\.text).joined(separator: "\n") }

    /// Indices of the lines that came from stderr.
    var errorLines: [Int] { lines.indices.filter { lines[$0].isError } }

    /// Parts between lines ending in `marker`; every part but the last ends with a newline, as printed.
    /// The same output with each line that ends with one of `boundaries` replaced by `text`: what
    /// shows of a session whose output could not be split, without notes' own markers in it.
    func replacingLines(endingWith boundaries: [String], by text: String) -> OutputLines {
        OutputLines(lines: lines.map { line in
            boundaries.contains { line.text.hasSuffix($0) } ? Line(text: Substring(text), isError: false) : line
        })
    }

    /// Splits at lines that end with `boundaries`, in that order. Any other line holding `prefix` (a
    /// boundary printed out of order, twice, or by the program itself) makes the split untrustworthy: nil.
    func split(atBoundaries boundaries: [String], prefix: String) -> [OutputLines]? {
        var parts: [OutputLines] = []
        var current: [Line] = []
        for line in lines {
            guard line.text.contains(prefix) else {
                current.append(line)
                continue
            }
            guard !line.isError, parts.count < boundaries.count, line.text.hasSuffix(boundaries[parts.count]),
                  !line.text.dropLast(boundaries[parts.count].count).contains(prefix) else { return nil }
            // Text printed without a newline before the boundary stays on its own, unterminated line.
            current.append(Line(text: line.text.dropLast(boundaries[parts.count].count), isError: false))
            parts.append(OutputLines(lines: current))
            current = []
        }
        parts.append(OutputLines(lines: current))
        return parts
    }
}

/// Which bytes came from stderr, as sorted, merged ranges.
private struct StderrCover {
    private var ranges: [Range<Int>] = []

    init(_ written: [Range<Int>]) {
        for range in written.sorted(by: { $0.lowerBound < $1.lowerBound }) where !range.isEmpty {
            if let last = ranges.last, range.lowerBound <= last.upperBound {
                ranges[ranges.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                ranges.append(range)
            }
        }
    }

    /// Whether every byte of a non-empty span came from stderr.
    func covers(_ span: Range<Int>) -> Bool {
        guard !span.isEmpty else { return false }
        // The last range starting at or before the span; merged ranges never touch, so only it can cover it.
        var low = 0, high = ranges.count
        while low < high {
            let middle = (low + high) / 2
            if ranges[middle].lowerBound <= span.lowerBound { low = middle + 1 } else { high = middle }
        }
        return low > 0 && ranges[low - 1].upperBound >= span.upperBound
    }
}
