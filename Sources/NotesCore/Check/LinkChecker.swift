import Foundation

/// Checks links between notes: the target note must exist and, with `#anchor`, have that heading.
public enum LinkChecker {
    public static func check(_ notes: [Note]) -> [Diagnostic] {
        var anchors: [String: Set<String>] = [:]
        for note in notes { anchors[note.source.relativePath] = Set(note.headings.map(\.anchor)) }
        var problems: [Diagnostic] = []
        for note in notes {
            let folder = note.source.relativePath.split(separator: "/").dropLast().joined(separator: "/")
            for link in note.links {
                guard let target = LinkTarget(link.url) else { continue }
                let path = resolve(target.path.removingPercentEncoding ?? target.path, from: folder)
                guard let known = anchors[path] else {
                    problems.append(Diagnostic(file: note.source.displayPath, line: link.line,
                                               "broken link: no note '\(target.path)'"))
                    continue
                }
                if let anchor = target.anchor, !anchor.isEmpty, !known.contains(anchor) {
                    problems.append(Diagnostic(file: note.source.displayPath, line: link.line,
                                               "broken link: '\(target.path)' has no heading with anchor '#\(anchor)'"))
                }
            }
        }
        return problems
    }

    /// `../a/b.md` seen from folder `x` → `a/b.md`.
    static func resolve(_ path: String, from folder: String) -> String {
        var parts = folder.isEmpty ? [] : folder.split(separator: "/").map(String.init)
        for piece in path.split(separator: "/") {
            switch piece {
            case ".": continue
            case "..": if !parts.isEmpty { parts.removeLast() }
            default: parts.append(String(piece))
            }
        }
        return parts.joined(separator: "/")
    }
}
