/// Compares real output with recorded output the way the fence asks:
/// trailing whitespace ignored, `...` as a wildcard within a line or (alone) over any number of lines,
/// optionally as an unordered multiset of lines, after the sanitizers have run on both sides.
public struct OutputMatcher: Sendable {
    public var sanitizers: [Sanitizer]
    public var unordered: Bool

    public init(sanitizers: [Sanitizer] = Sanitizer.defaults, unordered: Bool = false) {
        self.sanitizers = sanitizers
        self.unordered = unordered
    }

    public func matches(actual: String, expected: String) -> Bool {
        let real = lines(actual)
        let want = lines(expected)
        return unordered ? Self.matchUnordered(real, want) : Self.matchOrdered(real[...], want[...])
    }

    /// Lines as compared: sanitized, trailing whitespace removed, trailing blank lines dropped.
    func lines(_ text: String) -> [String] {
        let sanitized = sanitizers.reduce(text) { $1.apply($0) }
        var result = sanitized.split(separator: "\n", omittingEmptySubsequences: false)
            .map { String($0.trimmingTrailingSpace) }
        while result.last == "" { result.removeLast() }
        return result
    }

    private static func matchOrdered(_ real: ArraySlice<String>, _ want: ArraySlice<String>) -> Bool {
        guard let first = want.first else { return real.isEmpty }
        if first == "..." {
            let rest = want.dropFirst()
            return real.indices.contains { matchOrdered(real[$0...], rest) } || matchOrdered(real[real.endIndex...], rest)
        }
        guard let line = real.first, lineMatches(line, first) else { return false }
        return matchOrdered(real.dropFirst(), want.dropFirst())
    }

    /// Each expected line takes one real line; literal lines choose first so wildcards cannot steal them.
    private static func matchUnordered(_ real: [String], _ want: [String]) -> Bool {
        let anyExtra = want.contains("...")
        var pool = real
        let patterns = want.filter { $0 != "..." }.sorted { !$0.contains("...") && $1.contains("...") }
        for pattern in patterns {
            guard let index = pool.firstIndex(where: { lineMatches($0, pattern) }) else { return false }
            pool.remove(at: index)
        }
        return pool.isEmpty || anyExtra
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
