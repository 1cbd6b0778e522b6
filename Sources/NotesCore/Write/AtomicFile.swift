import Foundation

/// Writes a file so that readers see either the old contents or the new, never a mix:
/// a temporary file beside it, then a rename over it.
enum AtomicFile {
    static func write(_ data: Data, to url: URL, beforeRename: () throws -> Void = {}) throws {
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).notes-\(UUID().uuidString)")
        do {
            try data.write(to: temporary)
            if let mode = try? FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] {
                try? FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: temporary.path)
            }
            try beforeRename()
            guard rename(temporary.path, url.path) == 0 else {
                throw Diagnostic(file: url.path, "cannot replace the file: \(String(cString: strerror(errno)))")
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }
}
