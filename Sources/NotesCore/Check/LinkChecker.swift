import Foundation

/// Checks links between notes: the target note must exist and, with `#anchor`, have that heading.
public enum LinkChecker {
    /// `assets` are the other files of the content folder (images and the like), by relative path.
    public static func check(_ notes: [Note], assets: Set<String> = []) -> [Diagnostic] {
        var anchors: [String: Set<String>] = [:]
        for note in notes { anchors[note.source.relativePath] = Set(note.headings.map(\.anchor)) }
        var problems: [Diagnostic] = []
        for note in notes {
            let folder = note.source.relativePath.split(separator: "/").dropLast().joined(separator: "/")
            for link in note.links {
                if let alt = link.imageAlt, alt.trimmingCharacters(in: .whitespaces).isEmpty {
                    problems.append(Diagnostic(file: note.source.displayPath, line: link.line, severity: .warning,
                                               "image '\(link.url)' has no alt text"))
                }
                if let asset = AssetLink(link.url) {
                    let path = resolve(asset.path.removingPercentEncoding ?? asset.path, from: folder)
                    if !assets.contains(path) {
                        problems.append(Diagnostic(file: note.source.displayPath, line: link.line,
                                                   "missing file: '\(asset.path)' is not in the content folder"))
                    }
                    continue
                }
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

/// A relative link to a file that is not a note: an image, a PDF, a data file.
struct AssetLink {
    var path: String

    init?(_ url: String) {
        guard !url.isEmpty, !url.contains(":"), !url.hasPrefix("/"), !url.hasPrefix("#") else { return nil }
        let file = String(url.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0])
            .split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0]
        guard !file.hasSuffix(".md"), !file.isEmpty else { return nil }
        path = String(file)
    }
}
