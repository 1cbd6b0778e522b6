import Foundation

/// A file's bytes, from a handle opened when the file was chosen: they stay readable even if a rebuild
/// swaps the site out before they are sent. The handle closes when the last copy goes.
struct OpenFile: @unchecked Sendable {
    /// Read by the one connection that sends the file.
    private let handle: FileHandle
    let size: Int

    init?(_ url: URL) {
        guard let handle = try? FileHandle(forReadingFrom: url), let end = try? handle.seekToEnd(),
              (try? handle.seek(toOffset: 0)) != nil else { return nil }
        self.handle = handle
        size = Int(end)
    }

    /// The next chunk, or nil at the end.
    func read(upTo count: Int) throws -> Data? {
        guard let chunk = try handle.read(upToCount: count), !chunk.isEmpty else { return nil }
        return chunk
    }
}
