import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The server's descriptors: none reaches a program a rebuild starts, and a flood of connections
/// neither exhausts them nor keeps a page from being served.
extension ServeTests {
    struct Descriptor: CustomStringConvertible {
        var number: Int
        /// Where /proc says it leads: `socket:[123]`, `anon_inode:[eventpoll]`, a path.
        var target: String
        var closeOnExec: Bool
        var description: String { "\(number) \(target)\(closeOnExec ? "" : " (inherited by children)")" }
    }

    /// A process's open descriptors. Its fdinfo's `flags` carry O_CLOEXEC exactly when the descriptor
    /// is close-on-exec: what `fcntl(F_GETFD)` says inside the process.
    static func descriptors(of pid: Int32) -> [Descriptor] {
        let folder = "/proc/\(pid)/fd"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.compactMap { name -> Descriptor? in
            guard let number = Int(name),
                  let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "\(folder)/\(name)"),
                  let line = Self.read("/proc/\(pid)/fdinfo/\(name)").split(separator: "\n").first(where: { $0.hasPrefix("flags:") }),
                  let flags = Int(line.dropFirst("flags:".count).trimmingCharacters(in: .whitespaces), radix: 8)
            else { return nil }  // closed meanwhile
            return Descriptor(number: number, target: target, closeOnExec: flags & Int(O_CLOEXEC) != 0)
        }.sorted { $0.number < $1.number }
    }

    /// `socket:[inode]` of each TCP socket of the process whose local port is `port`: the listening
    /// socket and the connections it accepted.
    static func tcpSockets(of pid: Int32, port: Int) -> Set<String> {
        var sockets: Set<String> = []
        for table in ["tcp", "tcp6"] {
            let text = Self.read("/proc/\(pid)/net/\(table)")
            // `sl local_address rem_address st ... inode`: the address is hex, `0100007F:1F40`.
            for line in text.split(separator: "\n").dropFirst() {
                let fields = line.split(separator: " ")
                guard fields.count > 9, let local = fields[1].split(separator: ":").last, Int(local, radix: 16) == port else { continue }
                sockets.insert("socket:[\(fields[9])]")
            }
        }
        return sockets
    }

    /// A /proc file whole. Its reads return a page at a time, and Foundation's may stop at the first.
    static func read(_ path: String) -> String {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return "" }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            bytes += chunk[..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Waits (up to `seconds`) until `condition` holds of the server's descriptors; returns the last seen.
    static func descriptors(of pid: Int32, within seconds: Double, until condition: ([Descriptor]) -> Bool) -> [Descriptor] {
        let deadline = Date().addingTimeInterval(seconds)
        var seen = descriptors(of: pid)
        while !condition(seen), Date() < deadline {
            usleep(20_000)
            seen = descriptors(of: pid)
        }
        return seen
    }

    /// The listening socket, every connection (a page's WebSocket, a request begun, a file being sent
    /// to a client that does not read), the pool's epoll and eventfd, and the file being sent: a
    /// snippet a rebuild starts inherits none of them.
    @Test func everyDescriptorOfTheServerIsCloseOnExec() async throws {
        let server = try await Server()
        defer { server.stop() }
        try Data(count: 16 << 20).write(to: server.folder.path("Site/big.bin"))
        let (port, host, pid) = (server.port, server.host, server.process.processIdentifier)
        let (seen, sockets) = await offThePool { () -> ([Descriptor], Set<String>) in
            let page = ReloadClient(port: port)
            _ = page?.nextVersion(wait: 5)
            let idle = TCPClient(port: port)
            let begun = TCPClient(port: port)
            begun?.send(Array("GET /index.html HTTP/1.1\r\nHost: \(host)\r\n".utf8))
            let notReading = TCPClient(port: port)
            notReading?.send(Array("GET /big.bin HTTP/1.1\r\nHost: \(host)\r\n\r\n".utf8))
            // The server's sockets are TCP on its port. Others come from this process: Foundation's
            // `Process` passes on a Unix socket of its own to the child it starts.
            var sockets: Set<String> = []
            // Well within the 10 s after which the server cuts off the client that does not read.
            let seen = Self.descriptors(of: pid, within: 5) { descriptors in
                sockets = Self.tcpSockets(of: pid, port: port)
                return descriptors.filter { sockets.contains($0.target) }.count >= 5
                    && descriptors.contains { $0.target.hasSuffix("/big.bin") }
            }
            withExtendedLifetime((page, idle, begun, notReading)) {}
            return (seen, sockets)
        }
        #expect(seen.contains { $0.target.hasSuffix("/big.bin") }, "the file being sent: \(seen)")
        #expect(seen.contains { $0.target == "anon_inode:[eventpoll]" }, "\(seen)")
        let servers = seen.filter { sockets.contains($0.target) || $0.target.hasPrefix("anon_inode:") || $0.target.hasSuffix("/big.bin") }
        #expect(servers.filter { $0.target.hasPrefix("socket:") }.count >= 5, "the listener and four connections: \(seen)")
        let inherited = servers.filter { !$0.closeOnExec }
        #expect(inherited.isEmpty, "descriptors a child would inherit: \(inherited); all: \(seen)")
    }

    /// Issue 23's flood: 2,000 idle connections, which made `notes serve` exit with `Accept errno 24`
    /// once its descriptors ran out (here 1,024, a common limit). The server keeps at most 512, closing
    /// the longest idle to make room, and a page asked for after them all is served at once.
    @Test func twoThousandIdleConnectionsDoNotKeepAPageFromBeingServed() async throws {
        Self.raiseDescriptorLimit()
        let server = try await Server(descriptorLimit: 1024)
        defer { server.stop() }
        let (port, host, pid) = (server.port, server.host, server.process.processIdentifier)
        let (opened, answer, took, held) = await offThePool { () -> (Int, String, Duration, [Descriptor]) in
            let idle = (0..<2000).compactMap { _ in TCPClient(port: port) }
            let started = ContinuousClock.now
            let request = "GET /01-threads.html HTTP/1.1\r\nHost: \(host)\r\nConnection: close\r\n\r\n"
            let answer = TCPClient.exchange(Array(request.utf8), port: port, wait: 5)
            let took = ContinuousClock.now - started
            // Connections shut down to make room close as their tasks run.
            let held = Self.descriptors(of: pid, within: 10) { $0.filter { $0.target.hasPrefix("socket:") }.count <= 513 }
            withExtendedLifetime(idle) {}
            return (idle.count, answer, took, held)
        }
        #expect(opened == 2000)
        #expect(answer.hasPrefix("HTTP/1.1 200 OK") && answer.contains("A thread runs code"), "\(answer.prefix(200))")
        #expect(took < .seconds(1), "answered in \(took)")
        let sockets = held.filter { $0.target.hasPrefix("socket:") }.count
        #expect(sockets <= 513, "the listener and at most 512 connections; held \(sockets)")
        #expect(server.process.isRunning, "stderr: \(server.stderr)")
        #expect(try await server.get("/01-threads.html").status == 200)
    }

    /// This process opens the 2,000 connections: its soft limit may be 1,024.
    static func raiseDescriptorLimit() {
        var limit = rlimit()
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        guard getrlimit(resource, &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
        limit.rlim_cur = limit.rlim_max
        _ = setrlimit(resource, &limit)
    }
}
