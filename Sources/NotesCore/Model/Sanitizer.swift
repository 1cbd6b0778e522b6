import Foundation

/// A regex → replacement rule applied to both real and recorded output before comparing,
/// so that values that change on every run (timings, addresses) do not fail a check.
public struct Sanitizer: Sendable {
    public let pattern: String
    public let replacement: String
    private let regex: NSRegularExpression

    public init?(pattern: String, replacement: String) {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return nil }
        self.pattern = pattern
        self.replacement = replacement
        self.regex = regex
    }

    public func apply(_ text: String) -> String {
        regex.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text),
                                       withTemplate: NSRegularExpression.escapedTemplate(for: replacement))
    }

    /// Documented in the README; keep the two in step.
    public static let defaults: [Sanitizer] = [
        // Durations: 12 ms, 0.53s, 1.2 µs
        Sanitizer(pattern: #"\b\d+(\.\d+)?\s?(ns|µs|us|ms|s)\b"#, replacement: "<duration>")!,
        // Hex addresses: 0x7ffd5f2c
        Sanitizer(pattern: #"\b0x[0-9a-fA-F]{4,}\b"#, replacement: "<address>")!,
        // Temporary folders: /tmp/notes-run-XXXX/..., or under TMPDIR when it is elsewhere (runs use it).
        Sanitizer(pattern: temporaryFolders, replacement: "<tmp>")!,
    ]

    /// `/tmp/<name>` and `<TMPDIR>/<name>`.
    private static var temporaryFolders: String {
        let tmpdir = FileManager.default.temporaryDirectory.path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        let roots = Set(["tmp", tmpdir].filter { !$0.isEmpty }).sorted().map(NSRegularExpression.escapedPattern(for:))
        return "/(?:" + roots.joined(separator: "|") + #")/[A-Za-z0-9._-]+"#
    }
}
