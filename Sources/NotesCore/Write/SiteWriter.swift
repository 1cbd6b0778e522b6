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

    public func write(files: [String: Data], display: String) throws {
        try checkOutputFolder(display: display)
        let fm = FileManager.default
        let parent = output.deletingLastPathComponent()
        try fm.createDirectory(at: parent, withIntermediateDirectories: true)
        removeStaleSiblings()
        let staging = parent.appendingPathComponent(".\(output.lastPathComponent).new-\(UUID().uuidString)")
        do {
            try fm.createDirectory(at: staging, withIntermediateDirectories: true)
            for (path, data) in files.sorted(by: { $0.key < $1.key }) {
                let url = staging.appendingPathComponent(path)
                try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try data.write(to: url)
            }
            try Data("This folder was written by notes; `notes build` replaces it.\n".utf8)
                .write(to: staging.appendingPathComponent(Self.marker))
            try swapIn(staging)
        } catch {
            try? fm.removeItem(at: staging)
            throw Diagnostic(file: display, "cannot write the site: \(error.localizedDescription)")
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

    /// Two renames: the old site steps aside, the new one takes its name; only then is the old one removed.
    private func swapIn(_ staging: URL) throws {
        let fm = FileManager.default
        let parent = output.deletingLastPathComponent()
        let old = parent.appendingPathComponent(".\(output.lastPathComponent).old-\(UUID().uuidString)")
        let hadOld = fm.fileExists(atPath: output.path)
        if hadOld { try fm.moveItem(at: output, to: old) }
        do {
            try fm.moveItem(at: staging, to: output)
        } catch {
            if hadOld { try? fm.moveItem(at: old, to: output) }
            throw error
        }
        if hadOld { try? fm.removeItem(at: old) }
    }
}
