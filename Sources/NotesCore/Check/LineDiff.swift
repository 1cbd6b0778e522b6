/// A unified-style diff of two line lists, small and dependency-free: outputs are short.
enum LineDiff {
    static func unified<Line>(expected: [Line], actual: [Line], header: String,
                              same: (Line, Line) -> Bool, text: (Line) -> String) -> String {
        let n = expected.count, m = actual.count
        // Longest common subsequence table, filled from the end.
        var lcs = Array(repeating: Array(repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                lcs[i][j] = same(expected[i], actual[j]) ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
            }
        }
        var out = ["--- \(header) (recorded)", "+++ real output"]
        var i = 0, j = 0
        while i < n || j < m {
            if i < n, j < m, same(expected[i], actual[j]) {
                out.append("  " + text(actual[j])); i += 1; j += 1
            } else if i < n, j == m || lcs[i + 1][j] >= lcs[i][j + 1] {
                out.append("- " + text(expected[i])); i += 1
            } else {
                out.append("+ " + text(actual[j])); j += 1
            }
        }
        return out.joined(separator: "\n")
    }
}
