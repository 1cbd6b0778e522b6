import Foundation

/// A Markdown note as read from disk, before anything is parsed.
public struct SourceFile: Sendable {
    /// Path relative to the content folder, with `/` separators: `02-race-conditions.md`.
    public var relativePath: String
    /// How the user names it in messages: `Content/02-race-conditions.md`.
    public var displayPath: String
    public var bytes: [UInt8]

    public init(relativePath: String, displayPath: String, bytes: [UInt8]) {
        self.relativePath = relativePath
        self.displayPath = displayPath
        self.bytes = bytes
    }

    /// The page this note becomes: `02-race-conditions.md` → `02-race-conditions.html`.
    public var outputPath: String {
        (relativePath.hasSuffix(".md") ? String(relativePath.dropLast(3)) : relativePath) + ".html"
    }

    /// A name safe for Swift identifiers and snippet ids: `02-race-conditions`.
    public var slug: String {
        let stem = relativePath.hasSuffix(".md") ? String(relativePath.dropLast(3)) : relativePath
        return Slug.make(stem)
    }
}

enum Slug {
    /// Lower-case letters, digits and single dashes; never empty.
    static func make(_ text: String) -> String {
        var out = ""
        for scalar in text.lowercased().unicodeScalars {
            if scalar.isASCII, CharacterSet.alphanumerics.contains(scalar) {
                out.unicodeScalars.append(scalar)
            } else if !out.isEmpty, out.last != "-" {
                out.append("-")
            }
        }
        while out.last == "-" { out.removeLast() }
        return out.isEmpty ? "section" : out
    }
}
