import Crypto
import Foundation

/// One `notes` at a time per content folder: a second run waits for the first instead of
/// interleaving writes to the site, the cache or the notes. The lock is an `flock` on a file in
/// the temporary folder named after the content folder's path, so it is released when the process ends,
/// however it ends.
final class ContentLock {
    private let fd: Int32

    init(contentDirectory: URL, waiting: () -> Void) {
        let digest = SHA256.hash(data: Data(contentDirectory.standardizedFileURL.path.utf8))
        let name = ContentHash.hex(digest.prefix(8))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("notes-\(name).lock").path
        fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            waiting()
            _ = flock(fd, LOCK_EX)
        }
    }

    deinit {
        if fd >= 0 { close(fd) }
    }
}
