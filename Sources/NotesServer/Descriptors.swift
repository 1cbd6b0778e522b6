import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The server's descriptors are close-on-exec: a program a rebuild starts (a snippet) must not inherit
/// the listening socket (it could answer in the server's place) or a page's connection (it could read
/// what the page sends). FlyingSocks makes its sockets, epoll and eventfd without the flag, so the
/// server makes its own sockets (`Listener`) and marks what the socket pool opens.
enum Descriptors {
    static func closeOnExec(_ descriptor: Int32) {
        let flags = fcntl(descriptor, F_GETFD)
        if flags >= 0 { _ = fcntl(descriptor, F_SETFD, flags | FD_CLOEXEC) }
    }

    /// Runs `body`, then marks close-on-exec every descriptor it opened: FlyingSocks keeps its epoll
    /// and eventfd to itself. One another thread opened meanwhile is marked too, which is harmless:
    /// `notes serve` hands a child only its standard three, and `posix_spawn` duplicates those.
    static func markingNew<T>(_ body: () async throws -> T) async rethrows -> T {
        let before = open()
        let result = try await body()
        for (descriptor, target) in open() where before[descriptor] != target { closeOnExec(descriptor) }
        return result
    }

    /// The descriptors open now, and what each leads to (`anon_inode:[eventpoll]`): a number in both of
    /// two listings may have been closed and reused between them, as the listing's own is.
    static func open() -> [Int32: String] {
        #if os(Linux)
        let folder = "/proc/self/fd"
        #else
        let folder = "/dev/fd"
        #endif
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return Dictionary(names.compactMap { name in
            Int32(name).map { ($0, (try? FileManager.default.destinationOfSymbolicLink(atPath: "\(folder)/\(name)")) ?? "") }
        }, uniquingKeysWith: { first, _ in first })
    }

    /// Raises the soft limit on open descriptors toward the hard one, so a flood of connections meets
    /// `ConnectionLimit` before the system's limit. At most 4096: children inherit it, and a program
    /// that closes every descriptor up to the limit one by one should not loop a million times.
    static func raiseLimit() {
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0 else { return }
        let wanted = min(limit.rlim_max, 4096)
        guard limit.rlim_cur < wanted else { return }
        limit.rlim_cur = wanted
        _ = setrlimit(resource, &limit)
    }

    /// How many descriptors the process may have open.
    static var limit: Int {
        var limit = rlimit()
        return getrlimit(resource, &limit) == 0 ? Int(clamping: limit.rlim_cur) : 1024
    }

    #if os(Linux)
    private static let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    #else
    private static let resource = RLIMIT_NOFILE
    #endif
}
