import Foundation
import Testing
@testable import NotesCore

/// Diff and match on outputs far larger than a course prints, against the obvious quadratic algorithms
/// on small random cases. Times are printed, never asserted (the machines are noisy).
@Suite("Check: large outputs")
struct LargeOutputTests {
    /// The length of a longest common subsequence, by the textbook table.
    func lcsLength(_ a: [Int], _ b: [Int]) -> Int {
        var table = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                table[i][j] = a[i] == b[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        return table[0][0]
    }

    @Test func diffIsAMinimalEditScript() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let a = (0..<Int.random(in: 0...12, using: &generator)).map { _ in Int.random(in: 0...3, using: &generator) }
            let b = (0..<Int.random(in: 0...12, using: &generator)).map { _ in Int.random(in: 0...3, using: &generator) }
            let edits = LineDiff.edits(a, b, same: ==)
            var rebuilt: [Int] = [], kept: [Int] = []
            for edit in edits {
                switch edit {
                case .same(let i, let j): #expect(a[i] == b[j]); rebuilt.append(b[j]); kept.append(i)
                case .insert(let j): rebuilt.append(b[j])
                case .delete(let i): kept.append(i)
                }
            }
            #expect(rebuilt == b, "\(a) → \(b)")
            #expect(kept == Array(a.indices), "every line of a, in order")
            let sames = edits.filter { if case .same = $0 { true } else { false } }.count
            #expect(sames == lcsLength(a, b), "\(a) → \(b): \(edits)")
        }
    }

    @Test func twentyThousandLineDiff() {
        let expected = (0..<20_000).map { "line \($0)" }
        var actual = expected
        for index in stride(from: 1_000, to: 20_000, by: 2_000) { actual[index] = "changed \(index)" }
        let start = Date()
        let diff = LineDiff.unified(expected: expected, actual: actual, header: "big", same: ==, text: { $0 })
        print("20,000-line diff with 10 changes: \(String(format: "%.3f", Date().timeIntervalSince(start))) s")
        let lines = diff.split(separator: "\n")
        #expect(lines.filter { $0.hasPrefix("- ") }.count == 10)
        #expect(lines.filter { $0.hasPrefix("+ ") }.count == 10)

        let unrelated = (0..<20_000).map { "other \($0)" }
        let started = Date()
        let replaced = LineDiff.unified(expected: expected, actual: unrelated, header: "big", same: ==, text: { $0 })
        print("20,000-line diff, nothing in common: \(String(format: "%.3f", Date().timeIntervalSince(started))) s")
        #expect(replaced.split(separator: "\n").count == 2 + 40_000)
    }

    /// The old recursive matcher, as the reference.
    func reference(_ real: ArraySlice<OutputMatcher.Line>, _ want: ArraySlice<OutputMatcher.Line>) -> Bool {
        guard let first = want.first else { return real.isEmpty }
        if first.raw == "..." {
            return (real.startIndex...real.endIndex).contains { reference(real[$0...], want.dropFirst()) }
        }
        guard let line = real.first, OutputMatcher.lineMatches(line, first) else { return false }
        return reference(real.dropFirst(), want.dropFirst())
    }

    @Test func wildcardLinesMatchAsTheRecursiveDefinitionSays() {
        let matcher = OutputMatcher(sanitizers: [])
        let words = ["a", "b", "...", "a...", "...b"]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let real = (0..<Int.random(in: 0...6, using: &generator)).map { _ in ["a", "b", "ab", "ba"].randomElement(using: &generator)! }
            let want = (0..<Int.random(in: 0...5, using: &generator)).map { _ in words.randomElement(using: &generator)! }
            let realLines = matcher.lines(real.joined(separator: "\n")), wantLines = matcher.lines(want.joined(separator: "\n"))
            #expect(OutputMatcher.matchOrdered(realLines, wantLines) == reference(realLines[...], wantLines[...]), "\(real) ~ \(want)")
        }
    }

    @Test func hundredThousandLinesWithManyWildcards() {
        let real = (0..<100_000).map { "row \($0)" }.joined(separator: "\n")
        // Every tenth line recorded, `...` between: 10,000 wildcard lines, and a last line that must match.
        let want = stride(from: 0, to: 100_000, by: 10).map { "row \($0)\n..." }.joined(separator: "\n") + "\nrow 99999"
        let start = Date()
        let matches = OutputMatcher(sanitizers: []).matches(actual: real, expected: want)
        print("100,000-line match with 10,000 `...` lines: \(String(format: "%.3f", Date().timeIntervalSince(start))) s")
        #expect(matches)
        #expect(!OutputMatcher(sanitizers: []).matches(actual: real, expected: want + "\nrow 100000"))
    }
}
