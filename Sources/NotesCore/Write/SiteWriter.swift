import Foundation

/// Write stage: puts a complete site in place, or nothing at all.
/// The site is written into a temporary folder beside the output and swapped in when complete,
/// so a failed or killed build leaves the previous site whole. An existing output folder is
/// replaced only when it is empty or carries our marker file: `notes` never clears a folder it did not make.
public struct SiteWriter: Sendable {
    public static let marker = ".notes-site"
    public var output: URL

    public init(output: URL) { self.output = output.standardizedFileURL }

    /// Refuses an output folder that holds something other than a notes site.
    public func checkOutputFolder(display: String) throws {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: output.path, isDirectory: &isDir) else { return }
        guard isDir.boolValue else { throw Diagnostic(file: display, "output exists and is not a folder") }
        let contents = try fm.contentsOfDirectory(atPath: output.path)
        if !contents.isEmpty, !contents.contains(Self.marker) {
            throw Diagnostic(file: display, "output folder is not empty and was not made by notes; refusing to replace it")
        }
    }

    /// `pageKeys` go into the new site's manifest, with each page's stamp as written.
    func write(files: [String: SiteFile], pageKeys: [String: String] = [:], display: String) throws {
        try checkOutputFolder(display: display)
        let fm = FileManager.default
        let parent = output.deletingLastPathComponent()
        try fm.createDirectory(at: parent, withIntermediateDirectories: true)
        removeStaleSiblings()
        let staging = parent.appendingPathComponent(".\(output.lastPathComponent).new-\(UUID().uuidString)")
        do {
            try fm.createDirectory(at: staging, withIntermediateDirectories: true)
            let folders = Set(files.keys.map { staging.appendingPathComponent($0).deletingLastPathComponent() })
            for folder in folders { try fm.createDirectory(at: folder, withIntermediateDirectories: true) }
            for (path, file) in files {
                let (old, new) = (output.appendingPathComponent(path), staging.appendingPathComponent(path))
                switch file {
                case .unchanged:
                    // A file system without hard links (FAT, some network mounts) gets a copy instead.
                    if link(old.path, new.path) != 0 {
                        guard let data = FileManager.default.contents(atPath: old.path) else {
                            throw Diagnostic(file: old.path, "cannot read the previous page: \(String(cString: strerror(errno)))")
                        }
                        try AtomicFile.writeWithoutSync(data, to: new)
                    }
                case .bytes(let data):
                    if !Self.linkIfSame(data, from: old, to: new) { try AtomicFile.writeWithoutSync(data, to: new) }
                }
            }
            var manifest = SiteManifest()
            for (path, key) in pageKeys {
                if let stamp = FileStamp(staging.appendingPathComponent(path)) { manifest.entries[path] = .init(key: key, stamp: stamp) }
            }
            try AtomicFile.writeWithoutSync(Data(manifest.text.utf8), to: staging.appendingPathComponent(Self.marker))
            try swapIn(staging)
        } catch {
            try? fm.removeItem(at: staging)
            throw Diagnostic(file: display, "cannot write the site: \((error as? Diagnostic)?.message ?? error.localizedDescription)")
        }
    }

    /// A build killed while writing (SIGKILL cannot be caught) leaves its `.Site.new-<UUID>` staging folder,
    /// or the `.Site.old-<UUID>` it had just moved aside; the next build removes them. Only names of exactly
    /// that form are touched: they are ours, and the content lock keeps two builds from writing at once.
    private func removeStaleSiblings() {
        let fm = FileManager.default
        let parent = output.deletingLastPathComponent()
        for name in (try? fm.contentsOfDirectory(atPath: parent.path)) ?? [] {
            for kind in ["new", "old"] {
                let prefix = ".\(output.lastPathComponent).\(kind)-"
                if name.hasPrefix(prefix), UUID(uuidString: String(name.dropFirst(prefix.count))) != nil {
                    try? fm.removeItem(at: parent.appendingPathComponent(name))
                }
            }
        }
    }

    /// Links the previous site's file into the new site when it already holds exactly `data`. Creating a
    /// file costs ext4 far more than reading one: after a one-page edit of a 1000-page course, writing
    /// every page again took 0.1–0.4 s. The bytes are compared, so a file changed by hand is rewritten;
    /// a symlink is never followed.
    private static func linkIfSame(_ data: Data, from old: URL, to new: URL) -> Bool {
        let fd = open(old.path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_size == data.count else { return false }
        var same = true
        data.withUnsafeBytes { expected in
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            var offset = 0
            while same, offset < expected.count {
                let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if count < 0, errno == EINTR { continue }
                guard count > 0, offset + count <= expected.count,
                      buffer.withUnsafeBytes({ memcmp($0.baseAddress!, expected.baseAddress! + offset, count) }) == 0 else {
                    same = false
                    break
                }
                offset += count
            }
        }
        return same && link(old.path, new.path) == 0
    }

    /// The new site takes the old one's name in one step, Linux's `renameat2` with `RENAME_EXCHANGE`, so a
    /// reader such as `notes serve` never finds no site; the old one, now under the staging name, is removed.
    /// Where the file system cannot exchange: two renames, the old site stepping aside first.
    private func swapIn(_ staging: URL) throws {
        let fm = FileManager.default
        let hadOld = fm.fileExists(atPath: output.path)
        if hadOld, Self.exchange(staging.path, output.path) {
            try? fm.removeItem(at: staging)
            return
        }
        let old = output.deletingLastPathComponent().appendingPathComponent(".\(output.lastPathComponent).old-\(UUID().uuidString)")
        if hadOld { try fm.moveItem(at: output, to: old) }
        do {
            try fm.moveItem(at: staging, to: output)
        } catch {
            if hadOld { try? fm.moveItem(at: old, to: output) }
            throw error
        }
        if hadOld { try? fm.removeItem(at: old) }
    }

    /// glibc has `renameat2` since 2.28, but Swift's Glibc module does not export it; look it up once.
    private typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
    private static let renameat2: RenameAt2? = dlsym(nil, "renameat2").map { unsafeBitCast($0, to: RenameAt2.self) }
    private static let renameExchange: UInt32 = 1 << 1

    static func exchange(_ first: String, _ second: String) -> Bool {
        renameat2?(AT_FDCWD, first, AT_FDCWD, second, renameExchange) == 0
    }
}
