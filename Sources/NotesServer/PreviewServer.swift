import Foundation
import Hummingbird
import Logging
import Synchronization

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

    /// Starts serving in the background and returns the port it listens on (useful with port 0).
    /// Throws when the address cannot be bound.
    public func start() throws -> Int {
        let bound = Mutex<Result<Int, any Error>?>(nil)
        let ready = DispatchSemaphore(value: 0)
        var logger = Logger(label: "notes-serve")
        logger.logLevel = .critical
        let app = Application(
            responder: SiteResponder(site: site, liveReload: liveReload),
            // Closes connections that stall before finishing a request (slow clients), and bounds headers.
            server: .http1(configuration: .init(idleTimeout: .seconds(10))),
            configuration: .init(address: .hostname(host, port: port), serverName: "notes"),
            onServerRunning: { channel in
                bound.withLock { $0 = .success(channel.localAddress?.port ?? 0) }
                ready.signal()
            },
            logger: logger
        )
        Task {
            do {
                try await app.run()
            } catch {
                bound.withLock { if $0 == nil { $0 = .failure(error) } }
                ready.signal()
            }
        }
        ready.wait()
        return try bound.withLock { $0! }.get()
    }
}
