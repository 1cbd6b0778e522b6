import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

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

    /// Serves, together with `services` (the rebuilder), in one service group: until the process ends,
    /// or until one of them fails. `listening` gets the bound port (useful with port 0) once requests are
    /// answered. Throws when the address cannot be bound.
    public func run(alongside services: [any Service], listening: @escaping @Sendable (Int) -> Void) async throws {
        var logger = Logger(label: "notes-serve")
        logger.logLevel = .critical
        let app = Application(
            responder: SiteResponder(site: site, liveReload: liveReload),
            // Closes connections that stall before finishing a request (slow clients), and bounds headers.
            server: .http1(configuration: .init(idleTimeout: .seconds(10))),
            configuration: .init(address: .hostname(host, port: port), serverName: "notes"),
            onServerRunning: { channel in listening(channel.localAddress?.port ?? 0) },
            logger: logger
        )
        try await ServiceGroup(services: [app] + services, logger: logger).run()
    }
}
