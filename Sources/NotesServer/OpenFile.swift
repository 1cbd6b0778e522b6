import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A file's bytes, from a handle opened when the file was chosen: they stay readable even if a rebuild
/// swaps the site out before they are sent. The handle closes when the last copy goes; it is
/// close-on-exec from the start, like every descriptor of the server (see `Descriptors`).
struct OpenFile: @unchecked Sendable {
    /// Read by the one connection that sends the file.
    private let handle: FileHandle
    let size: Int

    init?(_ url: URL) {
        let descriptor = open(url.path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        guard let end = try? handle.seekToEnd(), (try? handle.seek(toOffset: 0)) != nil else { return nil }
        self.handle = handle
        size = Int(end)
    }

    /// The next chunk, or nil at the end.
    func read(upTo count: Int) throws -> Data? {
        guard let chunk = try handle.read(upToCount: count), !chunk.isEmpty else { return nil }
        return chunk
    }
}
