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
    init(bytes: [UInt8], stderrRanges: [Range<Int>]) {
        let text = String(decoding: bytes, as: UTF8.self)
        var isError = [Bool](repeating: false, count: bytes.count)
        for range in stderrRanges { for index in range where index < bytes.count { isError[index] = true } }
        var lines: [Line] = []
        var start = text.utf8.startIndex
        var offset = 0
        var lineStartOffset = 0
        for index in text.utf8.indices {
            if text.utf8[index] == UInt8(ascii: "\n") {
                let fromStderr = offset >= lineStartOffset && isError[lineStartOffset...offset].allSatisfy { $0 }
                lines.append(Line(text: text[start..<index], isError: fromStderr))
                start = text.utf8.index(after: index)
                lineStartOffset = offset + 1
            }
            offset += 1
        }
        let rest = lineStartOffset < isError.count && isError[lineStartOffset...].allSatisfy { $0 }
        lines.append(Line(text: text[start...], isError: rest))
        self.lines = lines
    }

    init(lines: [Line]) { self.lines = lines }

    var text: String { lines.map(\.text).joined(separator: "\n") }

    /// Indices of the lines that came from stderr.
    var errorLines: [Int] { lines.indices.filter { lines[$0].isError } }

    /// Parts between lines ending in `marker`; every part but the last ends with a newline, as printed.
    func split(atLinesEndingWith marker: String) -> [OutputLines] {
        var parts: [OutputLines] = []
        var current: [Line] = []
        for line in lines {
            guard line.text.hasSuffix(marker) else {
                current.append(line)
                continue
            }
            // Text printed without a newline before the marker stays on its own, unterminated line.
            let before = line.text.dropLast(marker.count)
            current.append(Line(text: before, isError: false))
            parts.append(OutputLines(lines: current))
            current = []
        }
        parts.append(OutputLines(lines: current))
        return parts
    }
}
