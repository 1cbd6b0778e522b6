import Foundation

/// The default theme's files, shipped inside the binary as SwiftPM resources. Each concern has its
/// own source file; the site gets one stylesheet and one script, so a page loads two assets.
enum Theme {
    /// Base first: the later files use its custom properties; print last so it overrides the rest.
    static let stylesheets = ["theme", "code", "navigation", "print"]
    /// `theme` first: it sets the colour scheme while the page is still loading.
    static let scripts = ["theme", "menu", "copy", "keys", "toc", "search"]

    static var css: Data { concatenate(stylesheets, extension: "css") }
    static var js: Data { concatenate(scripts, extension: "js") }

    private static func concatenate(_ names: [String], extension ext: String) -> Data {
        var data = Data()
        for name in names {
            guard let url = Bundle.module.url(forResource: name, withExtension: ext, subdirectory: "Theme"),
                  let file = try? Data(contentsOf: url) else { continue }
            data += file
            if file.last != UInt8(ascii: "\n") { data.append(UInt8(ascii: "\n")) }
        }
        return data
    }
}
