import Foundation

/// The default theme's files, shipped inside the binary as SwiftPM resources. Each concern has its
/// own source file; the site gets one stylesheet and one script, so a page loads two assets.
enum Theme {
    /// Base first: the later files use its custom properties; print last so it overrides the rest.
    static let stylesheets = ["theme", "code", "navigation", "print"]
    /// `theme` first: it sets the colour scheme while the page is still loading.
    static let scripts = ["theme", "menu", "copy", "keys", "toc", "search"]

    static func css() throws -> Data { try concatenate(stylesheets, extension: "css") }
    static func js() throws -> Data { try concatenate(scripts, extension: "js") }

    /// A file missing from the installation is an error: a site without it would look broken, and silently.
    private static func concatenate(_ names: [String], extension ext: String) throws -> Data {
        var data = Data()
        for name in names {
            guard let url = Bundle.module.url(forResource: name, withExtension: ext, subdirectory: "Theme"),
                  let file = try? Data(contentsOf: url) else {
                throw Diagnostic(file: "\(name).\(ext)", "the theme's \(name).\(ext) is missing from the notes installation")
            }
            data += file
            if file.last != UInt8(ascii: "\n") { data.append(UInt8(ascii: "\n")) }
        }
        return data
    }
}
