import FlyingSocks
import Foundation

/// `notes serve`'s HTTP side: serves one site folder, read fresh on every request so rebuilds show at once.
public struct PreviewServer: Sendable {
    public var site: URL
    public var host: String
    public var port: Int
    public let liveReload = LiveReload()

    public init(site: URL, host: String = "127.0.0.1", port: Int) {
        self.site = site
        self.host = host
        self.port = port
    }

    /// Loopback only, unless asked otherwise: the preview holds unpublished work.
    public var isLoopback: Bool { ["127.0.0.1", "::1", "localhost"].contains(host) }

    /// Serves, with `rebuilder` beside it, until the process ends or one of them fails. `listening` gets
    /// the bound port (useful with port 0) once requests are answered. Throws when the address cannot be
    /// bound.
    public func run(alongside rebuilder: Rebuilder, listening: @escaping @Sendable (Int) -> Void) async throws {
        Descriptors.raiseLimit()
        // Cuts off connections that stall, before or in the middle of a request.
        let pool = IdleTimeoutPool(base: SocketPool.make(), idle: .seconds(10))
        let listener = try Listener(address: socketAddress(), pool: pool)
        defer { try? listener.socket.close() }
        // FlyingSocks opens its epoll and eventfd without close-on-exec, and keeps them to itself.
        try await Descriptors.markingNew { try await pool.prepare() }
        let (address, port) = Self.address(of: try? listener.socket.sockname())
        let responder = SiteResponder(site: site, liveReload: liveReload, authority: Authority(address: address, port: port))
        let limit = ConnectionLimit.fromDescriptorLimit()
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await pool.run() }
            group.addTask { try await rebuilder.run() }
            listening(port)
            while true {
                let client = try await listener.accept(limit: limit)
                let id = limit.opened(client.socket.file.rawValue)
                group.addTask { await Connection(socket: client, responder: responder, limit: limit, id: id).serve() }
                // Past the limit with every connection busy answering: take no more until one is done.
                while limit.isOver { try await Task.sleep(for: .milliseconds(50)) }
            }
        }
    }

    /// Whether `host` is something to listen on: an IPv4 or IPv6 address, or `localhost`.
    public static func accepts(host: String) -> Bool {
        (try? PreviewServer(site: URL(fileURLWithPath: "/"), host: host, port: 0).socketAddress()) != nil
    }

    /// An IPv4 or IPv6 address as written; `localhost` is IPv4's loopback.
    private func socketAddress() throws -> any SocketAddress {
        let address = host == "localhost" ? "127.0.0.1" : host
        guard let port = UInt16(exactly: port) else { throw SocketError.unsupportedAddress }
        if address.contains(":") { return try sockaddr_in6.inet6(ip6: address, port: port) }
        return try sockaddr_in.inet(ip4: address, port: port)
    }

    private static func address(of address: Socket.Address?) -> (String, Int) {
        switch address {
        case .ip4(let ip, let port), .ip6(let ip, let port): (ip, Int(port))
        default: ("", 0)
        }
    }
}
