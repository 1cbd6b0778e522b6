/// A relative link to another note: `03-locks.md#mutex`. The checker follows it; the renderer points it at
/// the note's page.
struct LinkTarget {
    var path: String
    var anchor: String?

    init?(_ url: String) {
        guard !url.contains("://"), !url.hasPrefix("/"), !url.hasPrefix("mailto:") else { return nil }
        let parts = url.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts[0].hasSuffix(".md") else { return nil }
        path = String(parts[0])
        anchor = parts.count > 1 ? String(parts[1]) : nil
    }
}
