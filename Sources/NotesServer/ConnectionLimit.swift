import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Bounds the connections open at once, so that a flood of idle ones (a page or a program opening
/// thousands) cannot use up the process's descriptors: the server would stop accepting, or fail its
/// next build. Past the limit, the connection idle longest (waiting for its client: for a request,
/// a pong, the end of an upload) is shut down to make room, and the newest client is answered.
final class ConnectionLimit: Sendable {
    let limit: Int

    private struct Open {
        var socket: Int32
        /// When the connection last started waiting for its client; nil while it is answering.
        var idleSince: UInt64?
    }
    private struct State {
        var open: [UInt64: Open] = [:]
        var clock: UInt64 = 0
    }
    private let state = Mutex(State())

    init(limit: Int) { self.limit = limit }

    /// Half the descriptors the process may have, at most 512: the rest is for files being sent,
    /// builds, and connections shut down but not yet closed. A browser needs a few per open tab.
    static func fromDescriptorLimit() -> ConnectionLimit {
        ConnectionLimit(limit: max(8, min(512, Descriptors.limit / 2)))
    }

    /// Registers an accepted connection, waiting for its first request; past the limit, shuts down
    /// the connection idle longest. Returns the new connection's id.
    func opened(_ socket: Int32) -> UInt64 {
        state.withLock { state in
            state.clock += 1
            state.open[state.clock] = Open(socket: socket, idleSince: state.clock)
            if state.open.count > limit { _ = Self.shutDownLongestIdle(&state) }
            return state.clock
        }
    }

    /// The connection waits for its client (`true`), or is answering it.
    func idle(_ id: UInt64, _ idle: Bool) {
        state.withLock { state in
            state.clock += 1
            state.open[id]?.idleSince = idle ? state.clock : nil
        }
    }

    /// Called before the connection's socket is closed: once it is, its number may name a new socket,
    /// which must not be shut down in its place.
    func closing(_ id: UInt64) {
        _ = state.withLock { $0.open.removeValue(forKey: id) }
    }

    /// More connections than the limit, every one answering: accept no more until one is done.
    var isOver: Bool { state.withLock { $0.open.count > limit } }

    /// Shuts down the connection idle longest (false if none is idle): its pending read ends, and its
    /// task closes it. Its socket is still open, since it is unregistered before it is closed.
    @discardableResult
    func shutDownLongestIdle() -> Bool {
        state.withLock { Self.shutDownLongestIdle(&$0) }
    }

    private static func shutDownLongestIdle(_ state: inout State) -> Bool {
        // A linear search: there are at most a few hundred, and this runs only at the limit.
        var longest: (id: UInt64, since: UInt64)?
        for (id, open) in state.open {
            if let since = open.idleSince, since < longest?.since ?? .max { longest = (id, since) }
        }
        guard let longest, let open = state.open.removeValue(forKey: longest.id) else { return false }
        _ = shutdown(open.socket, Int32(SHUT_RDWR))
        return true
    }
}
