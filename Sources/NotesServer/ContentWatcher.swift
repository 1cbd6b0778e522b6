import Foundation

/// Notices changes in a content folder by polling: a file added, removed, or written (size or time changed).
/// What a change means is left to the pipeline, whose cache is keyed by content; this only says "look again".
public struct ContentWatcher: Sendable {
    public var folder: URL
    private var last: [String: String] = [:]

    public init(folder: URL) {
        self.folder = folder
        last = snapshot()
    }

    /// True when something changed since the last call (or since `init`).
    public mutating func changed() -> Bool {
        let now = snapshot()
        defer { last = now }
        return now != last
    }

    private func snapshot() -> [String: String] {
        var files: [String: String] = [:]
        let keys: [URLResourceKey] = [.contentModificationDateKey, .fileSizeKey, .isRegularFileKey]
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: keys,
                                                          options: [.skipsHiddenFiles]) else { return files }
        for case let url as URL in walker {
            guard let values = try? url.resourceValues(forKeys: Set(keys)), values.isRegularFile == true else { continue }
            let stamp = values.contentModificationDate?.timeIntervalSince1970 ?? 0
            files[url.path] = "\(values.fileSize ?? -1) \(stamp)"
        }
        return files
    }
}
