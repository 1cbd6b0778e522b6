import FlyingSocks
#if canImport(Glibc)
import Glibc
#endif

/// FlyingSocks waits for every socket through its pool. This pool gives up on a connection that neither
/// sends nor takes a byte for `idle`, so a client that stalls in the middle of a request (or never
/// reads its answer) is cut off instead of holding its connection for ever. The listening socket
/// waits as long as it likes.
struct IdleTimeoutPool: AsyncSocketPool {
    let base: any AsyncSocketPool
    let idle: Duration

    func prepare() async throws { try await base.prepare() }

    func run() async throws { try await base.run() }

    func suspendSocket(_ socket: Socket, untilReadyFor events: Socket.Events) async throws {
        guard !Self.isListening(socket) else {
            return try await base.suspendSocket(socket, untilReadyFor: events)
        }
        let ready = try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask { [base] in
                try await base.suspendSocket(socket, untilReadyFor: events)
                return true
            }
            group.addTask { [idle] in
                try await Task.sleep(for: idle)
                return false
            }
            defer { group.cancelAll() }
            return try await group.next() ?? false
        }
        // The connection's read or write fails, and `Connection` closes it.
        guard ready else { throw SocketError.disconnected }
    }

    private static func isListening(_ socket: Socket) -> Bool {
        (try? socket.getValue(for: BoolSocketOption(name: SO_ACCEPTCONN))) ?? false
    }
}
