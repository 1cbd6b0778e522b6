import FlyingSocks
#if canImport(Glibc)
import Glibc
#endif

/// The listening socket and its accept loop, not FlyingSocks' own: those make descriptors a child
/// would inherit (see `Descriptors`), and its loop ends at the first failed accept, so that out of
/// descriptors (EMFILE) `notes serve` exited.
struct Listener {
    let socket: Socket
    let pool: any AsyncSocketPool

    /// Bound to `address` and listening, close-on-exec from the start.
    init(address: some SocketAddress, pool: any AsyncSocketPool) throws {
        #if os(Linux)
        let made = Glibc.socket(Int32(type(of: address).family), Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        #else
        let made = Darwin.socket(Int32(type(of: address).family), SOCK_STREAM, 0)
        Descriptors.closeOnExec(made)
        #endif
        guard made >= 0 else { throw SocketError.makeFailed("CreateSocket") }
        socket = Socket(file: .init(rawValue: made))
        do {
            try socket.setValue(true, for: .localAddressReuse)
            try socket.setFlags(.nonBlocking)
            try socket.bind(to: address)
        } catch {
            try? socket.close()
            throw error
        }
        try socket.listen()  // closes the socket when it fails
        self.pool = pool
    }

    /// The next client. When the process is out of descriptors or memory, the connection idle longest
    /// is closed and the accept tried again shortly, rather than serving no more.
    func accept(limit: ConnectionLimit) async throws -> AsyncSocket {
        while true {
            let client = Self.acceptCloseOnExec(socket.file.rawValue)
            if client >= 0 { return try AsyncSocket(socket: Socket(file: .init(rawValue: client)), pool: pool) }
            switch errno {
            case EAGAIN, EWOULDBLOCK:
                try await pool.suspendSocket(socket, untilReadyFor: .connection)
            case EMFILE, ENFILE, ENOBUFS, ENOMEM:
                limit.shutDownLongestIdle()
                try await Task.sleep(for: .milliseconds(50))
            case EBADF, EINVAL, ENOTSOCK, EFAULT, EOPNOTSUPP:
                throw SocketError.makeFailed("Accept")  // the listening socket itself is broken
            default:
                continue  // that one connection failed (it was reset, say); Linux reports it here
            }
        }
    }

    #if os(Linux)
    /// glibc has `accept4`, but Swift's Glibc module does not export it; look it up once.
    private typealias Accept4 = @convention(c) (Int32, UnsafeMutablePointer<sockaddr>?, UnsafeMutablePointer<socklen_t>?, Int32) -> Int32
    private static let accept4: Accept4? = dlsym(nil, "accept4").map { unsafeBitCast($0, to: Accept4.self) }
    #endif

    /// A pending connection, close-on-exec from the start where the system allows it; -1 and `errno`.
    private static func acceptCloseOnExec(_ listening: Int32) -> Int32 {
        #if os(Linux)
        if let accept4 { return accept4(listening, nil, nil, Int32(SOCK_CLOEXEC.rawValue | SOCK_NONBLOCK.rawValue)) }
        let client = Glibc.accept(listening, nil, nil)
        #else
        let client = Darwin.accept(listening, nil, nil)
        #endif
        if client >= 0 { Descriptors.closeOnExec(client) }
        return client
    }
}
