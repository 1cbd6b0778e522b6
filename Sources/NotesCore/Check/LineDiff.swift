/// A unified-style diff of two line lists: Myers' algorithm after trimming the common head and tail,
/// in time and memory that grow with the number of differences, not with the product of the lengths
/// (a table of 20,000 × 20,000 lines would take gigabytes). Past `limit` differences the rest is shown
/// as one replacement.
enum LineDiff {
    enum Edit: Equatable {
        case same(Int, Int), delete(Int), insert(Int)
    }

    static func unified<Line>(expected: [Line], actual: [Line], header: String,
                              same: (Line, Line) -> Bool, text: (Line) -> String) -> String {
        var out = ["--- \(header) (recorded)", "+++ real output"]
        for edit in edits(expected, actual, same: same) {
            switch edit {
            case .same(_, let j): out.append("  " + text(actual[j]))
            case .delete(let i): out.append("- " + text(expected[i]))
            case .insert(let j): out.append("+ " + text(actual[j]))
            }
        }
        return out.joined(separator: "\n")
    }

    /// The edits that turn `a` into `b`; in each changed stretch, deletions come before insertions.
    static func edits<Line>(_ a: [Line], _ b: [Line], same: (Line, Line) -> Bool, limit: Int = 1000) -> [Edit] {
        var head = 0
        while head < a.count, head < b.count, same(a[head], b[head]) { head += 1 }
        var tail = 0
        while tail < a.count - head, tail < b.count - head, same(a[a.count - 1 - tail], b[b.count - 1 - tail]) { tail += 1 }
        let n = a.count - head - tail, m = b.count - head - tail
        let middle = myers(n: n, m: m, limit: limit) { same(a[head + $0], b[head + $1]) }
            ?? (0..<n).map { .delete($0) } + (0..<m).map { .insert($0) }
        var edits = (0..<head).map { Edit.same($0, $0) }
        var changed: [Edit] = []
        func flush() {
            edits += changed.filter { if case .delete = $0 { true } else { false } }
            edits += changed.filter { if case .insert = $0 { true } else { false } }
            changed = []
        }
        for edit in middle {
            switch edit {
            case .same(let i, let j): flush(); edits.append(.same(head + i, head + j))
            case .delete(let i): changed.append(.delete(head + i))
            case .insert(let j): changed.append(.insert(head + j))
            }
        }
        flush()
        edits += (0..<tail).map { Edit.same(a.count - tail + $0, b.count - tail + $0) }
        return edits
    }

    /// Myers (1986): the furthest x reached on each diagonal k = x - y after d differences; the values
    /// of every round are kept (only diagonals -d...d) to walk back. nil past `limit` differences.
    private static func myers(n: Int, m: Int, limit: Int, same: (Int, Int) -> Bool) -> [Edit]? {
        let maxD = min(n + m, limit)
        let offset = maxD + 1
        var v = [Int](repeating: 0, count: 2 * maxD + 3)
        var trace: [[Int]] = []
        for d in 0...maxD {
            for k in stride(from: -d, through: d, by: 2) {
                var x = k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1
                var y = x - k
                while x < n, y < m, same(x, y) { x += 1; y += 1 }
                v[offset + k] = x
                if x >= n, y >= m {
                    trace.append(Array(v[(offset - d)...(offset + d)]))
                    return backtrack(trace, n: n, m: m)
                }
            }
            trace.append(Array(v[(offset - d)...(offset + d)]))
        }
        return nil
    }

    private static func backtrack(_ trace: [[Int]], n: Int, m: Int) -> [Edit] {
        var x = n, y = m
        var edits: [Edit] = []
        for d in stride(from: trace.count - 1, through: 1, by: -1) {
            let k = x - y
            let previous = trace[d - 1]  // diagonals -(d-1)...(d-1)
            func furthest(_ k: Int) -> Int { previous[k + d - 1] }
            let down = k == -d || (k != d && furthest(k - 1) < furthest(k + 1))
            let fromK = down ? k + 1 : k - 1
            let fromX = furthest(fromK), fromY = fromX - fromK
            while x > fromX + (down ? 0 : 1), y > fromY + (down ? 1 : 0) {
                x -= 1; y -= 1
                edits.append(.same(x, y))
            }
            if down {
                y -= 1
                edits.append(.insert(y))
            } else {
                x -= 1
                edits.append(.delete(x))
            }
        }
        while x > 0, y > 0 {
            x -= 1; y -= 1
            edits.append(.same(x, y))
        }
        return edits.reversed()
    }
}
