import Foundation

/// Finds the notes in a content folder: every `.md` file below it, in a stable order.
public enum ContentLoader {
    public static func load(contentDirectory: URL, displayPrefix: String) throws -> [SourceFile] {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: contentDirectory.path, isDirectory: &isDir), isDir.boolValue else {
            throw Diagnostic(file: displayPrefix, "content folder not found")
        }
        guard let walker = fm.enumerator(at: contentDirectory, includingPropertiesForKeys: [.isRegularFileKey],
                                         options: [.skipsHiddenFiles]) else {
            throw Diagnostic(file: displayPrefix, "cannot read the content folder")
        }
        let root = contentDirectory.standardizedFileURL.path
        var files: [SourceFile] = []
        for case let url as URL in walker where url.pathExtension == "md" {
            guard let relative = relativePath(url, root: root) else { continue }
            let bytes = try [UInt8](Data(contentsOf: url))
            files.append(SourceFile(relativePath: relative,
                                    displayPath: displayPrefix.isEmpty ? relative : "\(displayPrefix)/\(relative)",
                                    bytes: bytes))
        }
        return files.sorted { $0.relativePath < $1.relativePath }
    }

    /// The other regular files of the content folder (images and the like), copied into the site as they are.
    public static func assets(contentDirectory: URL) -> [String] {
        let root = contentDirectory.standardizedFileURL.path
        guard let walker = FileManager.default.enumerator(at: contentDirectory, includingPropertiesForKeys: [.isRegularFileKey],
                                                          options: [.skipsHiddenFiles]) else { return [] }
        var assets: [String] = []
        for case let url as URL in walker where url.pathExtension != "md" && url.lastPathComponent != CourseConfig.fileName {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true,
                  let relative = relativePath(url, root: root) else { continue }
            assets.append(relative)
        }
        return assets.sorted()
    }

    private static func relativePath(_ url: URL, root: String) -> String? {
        let path = url.standardizedFileURL.path
        guard path.hasPrefix(root + "/") else { return nil }
        return String(path.dropFirst(root.count + 1))
    }
}
