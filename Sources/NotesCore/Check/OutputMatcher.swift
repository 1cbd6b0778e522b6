/// Compares real output with recorded output the way the fence asks:
/// trailing whitespace ignored, `...` as a wildcard within a line or (alone) over any number of lines,
/// optionally as an unordered multiset of lines. A line matches as written or after the sanitizers
/// have run on both sides, so `took ... s` and `took <duration>` both accept `took 1.3 s`.
public struct OutputMatcher: Sendable {
    public var sanitizers: [Sanitizer]
    public var unordered: Bool

    public init(sanitizers: [Sanitizer] = Sanitizer.defaults, unordered: Bool = false) {
        self.sanitizers = sanitizers
        self.unordered = unordered
    }

    /// One line in both forms.
    struct Line: Equatable {
        var raw: String
        var sanitized: String
    }

    public func matches(actual: String, expected: String) -> Bool {
        let real = lines(actual)
        let want = lines(expected)
        return unordered ? Self.matchUnordered(real, want) : Self.matchOrdered(real, want)
    }

    /// Lines as compared: trailing whitespace removed, trailing blank lines dropped.
    func lines(_ text: String) -> [Line] {
        var raw = text.split(separator: "\n", omittingEmptySubsequences: false).map { String($0.trimmingTrailingSpace) }
        while raw.last == "" { raw.removeLast() }
        return raw.map { line in Line(raw: line, sanitized: sanitizers.reduce(line) { $1.apply($0) }) }
    }

    /// A diff whose unchanged lines are those that match, wildcards included.
    func diff(actual: String, expected: String, header: String) -> String {
        LineDiff.unified(expected: lines(expected), actual: lines(actual), header: header,
                         same: { Self.lineMatches($1, $0) }, text: \.raw)
    }

    private static func isGap(_ line: Line) -> Bool { line.raw == "..." }

    /// Glob matching over lines, `...` lines being the stars: one pass, going back only to the last
    /// star (the usual wildcard algorithm), so 100,000 lines with many `...` lines stay fast and use no stack.
    static func matchOrdered(_ real: [Line], _ want: [Line]) -> Bool {
        var i = 0, j = 0
        var star: (want: Int, real: Int)?
        while i < real.count {
            if j < want.count, isGap(want[j]) {
                star = (j, i)
                j += 1
            } else if j < want.count, lineMatches(real[i], want[j]) {
                i += 1
                j += 1
            } else if let last = star {
                // The last `...` takes one more real line; try the rest of the pattern after it again.
                star = (last.want, last.real + 1)
                i = last.real + 1
                j = last.want + 1
            } else {
                return false
            }
        }
        while j < want.count, isGap(want[j]) { j += 1 }
        return j == want.count
    }

    /// Each expected line takes one real line; literal lines choose first so wildcards cannot steal them.
    private static func matchUnordered(_ real: [Line], _ want: [Line]) -> Bool {
        let anyExtra = want.contains(where: isGap)
        var pool = real
        let patterns = want.filter { !isGap($0) }.sorted { !$0.raw.contains("...") && $1.raw.contains("...") }
        for pattern in patterns {
            guard let index = pool.firstIndex(where: { lineMatches($0, pattern) }) else { return false }
            pool.remove(at: index)
        }
        return pool.isEmpty || anyExtra
    }

    static func lineMatches(_ line: Line, _ pattern: Line) -> Bool {
        lineMatches(line.raw, pattern.raw) || lineMatches(line.sanitized, pattern.sanitized)
    }

    /// `...` inside a line matches any text within that line (doctest's ELLIPSIS).
    static func lineMatches(_ line: String, _ pattern: String) -> Bool {
        guard pattern.contains("...") else { return line == pattern }
        let pieces = pattern.components(separatedBy: "...")
        var rest = Substring(line)
        guard rest.hasPrefix(pieces[0]) else { return false }
        rest = rest.dropFirst(pieces[0].count)
        for piece in pieces.dropFirst().dropLast() where !piece.isEmpty {
            guard let range = rest.range(of: piece) else { return false }
            rest = rest[range.upperBound...]
        }
        let last = pieces[pieces.count - 1]
        return rest.count >= last.count && rest.hasSuffix(last)
    }
}
