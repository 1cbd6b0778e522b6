import Foundation

/// One `notes` at a time per content folder: a second run waits for the first instead of
/// interleaving writes to the site, the cache or the notes. The lock is an `flock` on a file in
/// the temporary folder named after the content folder's path, so it is released when the process ends,
/// however it ends.
final class ContentLock {
    private let fd: Int32

    /// Throws when the lock file cannot be opened: running without the lock could interleave two runs.
    init(contentDirectory: URL, waiting: () -> Void) throws {
        let digest = SHA256.hash(data: Data(contentDirectory.standardizedFileURL.path.utf8))
        let name = ContentHash.hex(digest.prefix(8))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("notes-\(name).lock").path
        fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw Diagnostic(file: path, "cannot open the lock that keeps two notes runs apart: \(String(cString: strerror(errno)))")
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            waiting()
            _ = flock(fd, LOCK_EX)
        }
    }

    deinit {
        close(fd)
    }
}
