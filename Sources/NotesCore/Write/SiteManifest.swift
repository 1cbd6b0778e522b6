import Foundation

/// What the last build wrote for each page, kept in the site's marker file: the page's key (a hash of
/// everything its HTML is made of, see `PageKey`) and the file's stamp on disk when it was written.
/// A page whose key is the same and whose file is untouched is linked into the new site as it is:
/// not rendered, read or written again. The stamp (inode, size, modification time, as git's index
/// and make use) catches a page changed by hand, which is then rendered again.
struct SiteManifest: Equatable {
    struct Entry: Equatable {
        var key: String
        var stamp: FileStamp
    }

    var entries: [String: Entry] = [:]

    static let header = "This folder was written by notes; `notes build` replaces it."

    /// The manifest of the site in `folder`; empty when there is none or it cannot be read.
    static func read(site folder: URL) -> SiteManifest {
        guard let text = try? String(contentsOf: folder.appendingPathComponent(SiteWriter.marker), encoding: .utf8) else {
            return SiteManifest()
        }
        var manifest = SiteManifest()
        // `key inode size seconds nanoseconds path`; the path is last, as it may hold spaces.
        for line in text.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: " ", maxSplits: 5)
            guard fields.count == 6, let inode = UInt64(fields[1]), let size = Int64(fields[2]),
                  let seconds = Int64(fields[3]), let nanoseconds = Int64(fields[4]) else { continue }
            let stamp = FileStamp(inode: inode, size: size, seconds: seconds, nanoseconds: nanoseconds)
            manifest.entries[String(fields[5])] = Entry(key: String(fields[0]), stamp: stamp)
        }
        return manifest
    }

    var text: String {
        var out = Self.header + "\n"
        for (path, entry) in entries.sorted(by: { $0.key < $1.key }) {
            let stamp = entry.stamp
            out += "\(entry.key) \(stamp.inode) \(stamp.size) \(stamp.seconds) \(stamp.nanoseconds) \(path)\n"
        }
        return out
    }

    /// Whether the page at `path` in `site` was made from `key` and is still as it was written.
    func holds(_ path: String, key: String, in site: URL) -> Bool {
        guard let entry = entries[path], entry.key == key else { return false }
        return FileStamp(site.appendingPathComponent(path)) == entry.stamp
    }
}

/// A regular file's identity and last change, from lstat.
struct FileStamp: Equatable {
    var inode: UInt64
    var size: Int64
    var seconds: Int64
    var nanoseconds: Int64

    init(inode: UInt64, size: Int64, seconds: Int64, nanoseconds: Int64) {
        self.inode = inode
        self.size = size
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }

    /// nil for anything but a regular file: a symlink is never trusted.
    init?(_ url: URL) {
        var info = stat()
        guard lstat(url.path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        self.init(inode: UInt64(info.st_ino), size: Int64(info.st_size),
                  seconds: Int64(info.st_mtim.tv_sec), nanoseconds: Int64(info.st_mtim.tv_nsec))
    }
}
