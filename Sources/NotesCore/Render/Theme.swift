import Foundation

/// The default theme's files, shipped inside the binary as SwiftPM resources.
enum Theme {
    static var css: Data {
        guard let url = Bundle.module.url(forResource: "theme", withExtension: "css", subdirectory: "Theme"),
              let data = try? Data(contentsOf: url) else { return Data() }
        return data
    }
}
