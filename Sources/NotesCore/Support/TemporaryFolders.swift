import Foundation
import Synchronization

/// The temporary folders this process made, so an interrupted `notes` can remove them.
public enum TemporaryFolders {
    private static let live = Mutex<Set<URL>>([])

    /// A new folder under the system's temporary folder, registered until `remove`.
    static func make(_ prefix: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        // A plain mkdir first: a build makes one of these per snippet run.
        if mkdir(url.path, 0o755) != 0 { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) }
        live.withLock { _ = $0.insert(url) }
        return url
    }

    static func remove(_ url: URL) {
        // Most run folders are left empty: a plain rmdir, and Foundation's walk only when something is inside.
        if rmdir(url.path) != 0 { try? FileManager.default.removeItem(at: url) }
        live.withLock { _ = $0.remove(url) }
    }

    public static func removeAll() {
        for url in live.withLock({ $0 }) { try? FileManager.default.removeItem(at: url) }
    }
}
