import Foundation

/// Maps a request path to a file of the site, and refuses anything that would leave the site folder.
/// Checked twice on purpose: by name (no `..` after decoding) and by the real path on disk (no symlink out).
public enum SitePath: Equatable, Sendable {
    case file(URL)
    /// A folder asked for without its trailing slash: relative links inside it need the slash.
    case redirect(String)
    case notFound
    case badRequest

    /// Longer request paths are refused before any look-up; no page of a course needs one.
    static let maximumLength = 2048

    public static func resolve(_ rawPath: String, in site: URL) -> SitePath {
        guard rawPath.hasPrefix("/"), rawPath.utf8.count <= maximumLength,
              let decoded = rawPath.removingPercentEncoding, !decoded.contains("\0"), !decoded.contains("\\") else {
            return .badRequest
        }
        var segments: [Substring] = []
        for segment in decoded.split(separator: "/", omittingEmptySubsequences: true) where segment != "." {
            if segment == ".." { return .badRequest }
            // Hidden files (the site marker, editors' leftovers) are not part of the site.
            if segment.hasPrefix(".") { return .notFound }
            segments.append(segment)
        }
        let root = site.resolvingSymlinksInPath().standardizedFileURL
        var candidate = segments.reduce(root) { $0.appendingPathComponent(String($1)) }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory) else { return .notFound }
        if isDirectory.boolValue {
            if !decoded.hasSuffix("/") { return .redirect(rawPath + "/") }
            candidate = candidate.appendingPathComponent("index.html")
        }
        let real = candidate.resolvingSymlinksInPath().standardizedFileURL
        guard real.path.hasPrefix(root.path + "/") else { return .notFound }
        guard FileManager.default.fileExists(atPath: real.path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            return .notFound
        }
        return .file(real)
    }
}
