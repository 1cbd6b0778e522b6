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
        if rmdir(url.path) != 0 { forceRemove(url) }
        live.withLock { _ = $0.remove(url) }
    }

    /// Removes a tree a program may have made hard to remove: folders without write or search rights
    /// (`chmod 500`, `chmod 000`) stop both Foundation and `rm -r` for any user but root. GNU chmod -R
    /// gives the owner their rights back folder by folder, before it enters one, however deep the tree.
    private static func forceRemove(_ url: URL) {
        if (try? FileManager.default.removeItem(at: url)) != nil || access(url.path, F_OK) != 0 { return }
        for tool in [("/bin/chmod", ["-R", "u+rwx", url.path]), ("/bin/rm", ["-rf", url.path])] {
            _ = try? ChildProcess.run(tool.0, tool.1, environment: ["LC_ALL": "C"], workingDirectory: "/",
                                      timeout: 120, outputLimit: 1 << 16)
        }
    }

    public static func removeAll() {
        for url in live.withLock({ $0 }) { try? FileManager.default.removeItem(at: url) }
    }
}
