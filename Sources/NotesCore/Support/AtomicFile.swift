import Foundation

/// Writes a file so that readers see either the old contents or the new, never a mix:
/// a temporary file beside it, then a rename over it.
enum AtomicFile {
    /// `durable` syncs the data to disk before the rename, for files that must survive a power cut:
    /// the notes. Caches are checked when read and rebuilt when damaged, so they skip the sync.
    static func write(_ data: Data, to url: URL, durable: Bool = true, beforeRename: () throws -> Void = {}) throws {
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).notes-\(UUID().uuidString)")
        do {
            if durable { try data.write(to: temporary) } else { try writeWithoutSync(data, to: temporary) }
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

    /// A plain write. Foundation's `Data.write` syncs every file to disk, which made writing a
    /// 1000-page site take half a second. The site and the caches are build output: the site's swap
    /// keeps it whole, and a cache entry is checked when read.
    static func writeWithoutSync(_ data: Data, to url: URL) throws {
        let fd = open(url.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Diagnostic(file: url.path, "cannot create: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        try data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { throw Diagnostic(file: url.path, "cannot write: \(String(cString: strerror(errno)))") }
                offset += written
            }
        }
    }
}
