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
            let path = url.standardizedFileURL.path
            guard path.hasPrefix(root) else { continue }
            let relative = String(path.dropFirst(root.count).drop(while: { $0 == "/" }))
            let bytes = try [UInt8](Data(contentsOf: url))
            files.append(SourceFile(relativePath: relative,
                                    displayPath: displayPrefix.isEmpty ? relative : "\(displayPrefix)/\(relative)",
                                    bytes: bytes))
        }
        return files.sorted { $0.relativePath < $1.relativePath }
    }
}
