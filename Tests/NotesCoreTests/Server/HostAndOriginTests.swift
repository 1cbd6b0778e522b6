import Foundation
import Testing
@testable import NotesServer

/// DNS rebinding: a web page whose name comes to answer 127.0.0.1 makes the browser send requests
/// that name the page's host. Only requests that name the server itself are answered, and only its
/// own pages' origins may open live reload, whatever `Host` they send.
@Suite("Serve: Host and Origin")
struct HostAndOriginTests {
    let loopback = Authority(address: "127.0.0.1", port: 8000)

    @Test func aHostMustBeLoopbackOrLocalhostWithTheServedPort() {
        for host in ["127.0.0.1:8000", "localhost:8000", "LocalHost:8000", "[::1]:8000"] {
            #expect(loopback.allows(host: host), "\(host)")
        }
        let refused = [
            "evil.com:8000", "127.0.0.1:8001", "localhost:80", "127.0.0.1", "localhost", "[::1]", "127.0.0.1:",
            "127.0.0.1:+8000", "127.0.0.1:8000.evil.com", "localhost.:8000", "192.0.2.2:8000", "::1:8000",
            "127.0.0.1:8000, evil.com:8000", "user@127.0.0.1:8000", "", "127.1:8000",
        ]
        for host in refused { #expect(!loopback.allows(host: host), "\(host)") }
        // A browser leaves out the port it means by default.
        #expect(Authority(address: "127.0.0.1", port: 80).allows(host: "localhost"))
    }

    @Test func anotherAddressIsAllowedOnlyWhereTheServerListens() {
        let lan = Authority(address: "192.0.2.2", port: 8000)
        #expect(lan.allows(host: "192.0.2.2:8000") && lan.allows(host: "localhost:8000"))
        #expect(!lan.allows(host: "192.0.2.3:8000") && !lan.allows(host: "evil.com:8000"))
        // Listening on every interface, any address names the machine; a name still has to be localhost.
        for any in [Authority(address: "0.0.0.0", port: 8000), Authority(address: "::", port: 8000)] {
            #expect(any.allows(host: "192.0.2.2:8000") && any.allows(host: "[fd00::2]:8000") && any.allows(host: "localhost:8000"))
            #expect(!any.allows(host: "evil.com:8000") && !any.allows(host: "192.0.2.2:8001") && !any.allows(host: "[evil]:8000"))
        }
    }

    @Test func anOriginMustBeTheServersOwn() {
        for origin in ["http://127.0.0.1:8000", "http://localhost:8000", "http://[::1]:8000", "HTTP://LOCALHOST:8000"] {
            #expect(loopback.allows(origin: origin), "\(origin)")
        }
        for origin in ["https://127.0.0.1:8000", "http://evil.com:8000", "http://127.0.0.1:8001", "null", "http://127.0.0.1",
                       "http://127.0.0.1:8000.evil.com", "127.0.0.1:8000"] {
            #expect(!loopback.allows(origin: origin), "\(origin)")
        }
    }

    /// The Origin is checked against the server's names, not the request's Host: a rebinding page's
    /// browser sends a Host that matches the page's origin.
    @Test func aForeignOriginIsRefusedEvenWithAHostToMatch() {
        func handshake(host: String, origin: String) -> Int {
            let head = RequestHead(method: "GET", target: "/__notes/reload", version: "HTTP/1.1", headers: [
                "host": host, "origin": origin, "upgrade": "websocket", "connection": "Upgrade",
                "sec-websocket-key": ReloadClient.exampleKey, "sec-websocket-version": "13",
            ])
            return WebSocket.handshake(for: head, authority: loopback).status
        }
        #expect(handshake(host: "evil.com:8000", origin: "http://evil.com:8000") == 403)
        #expect(handshake(host: "127.0.0.1:8000", origin: "http://evil.com:8000") == 403)
        #expect(handshake(host: "127.0.0.1:8000", origin: "http://localhost:8000") == 101)
    }
}

extension ServeTests {
    static func status(_ response: String) -> String {
        response.split(separator: " ").dropFirst().first.map(String.init) ?? "closed"
    }

    @Test func requestsThatNameAnotherHostGet421() async throws {
        let server = try await Server()
        defer { server.stop() }
        let port = server.port
        func get(host: String?, version: String = "HTTP/1.1") async -> String {
            await server.raw("GET /01-threads.html \(version)\r\n" + (host.map { "Host: \($0)\r\n" } ?? "") + "Connection: close\r\n\r\n")
        }
        for host in ["evil:\(port)", "evil.com:\(port)", "127.0.0.1:\(port + 1)", "127.0.0.1", "attacker.example"] {
            let answer = await get(host: host)
            #expect(answer.hasPrefix("HTTP/1.1 421 Misdirected Request\r\n"), "Host \(host): \(answer.prefix(200))")
            #expect(answer.hasSuffix("ask for it by 127.0.0.1 or localhost and its port\n") && !answer.contains("thread"))
        }
        let missing = await get(host: nil)
        #expect(Self.status(missing) == "421", "HTTP/1.1 without a Host: \(missing.prefix(200))")
        for host in ["127.0.0.1:\(port)", "localhost:\(port)", "LOCALHOST:\(port)", "[::1]:\(port)"] {
            let answer = await get(host: host)
            #expect(Self.status(answer) == "200" && answer.contains("A thread runs code"), "Host \(host): \(answer.prefix(200))")
        }
        #expect(Self.status(await get(host: nil, version: "HTTP/1.0")) == "200", "HTTP/1.0 has no Host to check")

        // Nothing is served after a 421 on the same connection, even to a request that names the server.
        let twice = await server.raw("GET / HTTP/1.1\r\nHost: evil:\(port)\r\n\r\nGET / HTTP/1.1\r\nHost: \(server.host)\r\n\r\n")
        #expect(twice.hasPrefix("HTTP/1.1 421") && twice.contains("Connection: close") && !twice.contains("HTTP/1.1 200"))
        // The live-reload handshake is a request like any other.
        let forged = try #require(await offThePool {
            ReloadClient(port: port, host: "evil.com:\(port)",
                         headers: "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: \(ReloadClient.exampleKey)\r\n"
                            + "Sec-WebSocket-Version: 13\r\nOrigin: http://evil.com:\(port)\r\n")
        })
        #expect(forged.status == 421, "\(forged.head)")
    }

    @Test func aServerOnAnotherAddressAnswersThatAddress() async throws {
        // 127.0.0.2 is loopback to the system, but not one of the names notes takes for loopback.
        let other = try await Server(extraArguments: ["--host", "127.0.0.2"])
        defer { other.stop() }
        #expect(other.address == "127.0.0.2")
        let request = { (host: String) in "GET / HTTP/1.1\r\nHost: \(host)\r\nConnection: close\r\n\r\n" }
        #expect(Self.status(await other.raw(request("127.0.0.2:\(other.port)"))) == "200")
        #expect(Self.status(await other.raw(request("127.0.0.3:\(other.port)"))) == "421")
        #expect(Self.status(await other.raw(request("evil:\(other.port)"))) == "421")
        // Every interface: any address of the machine names it, a name other than localhost does not.
        let every = try await Server(extraArguments: ["--host", "0.0.0.0"])
        defer { every.stop() }
        #expect(Self.status(await every.raw(request("192.0.2.2:\(every.port)"))) == "200")
        #expect(Self.status(await every.raw(request("localhost:\(every.port)"))) == "200")
        #expect(Self.status(await every.raw(request("evil:\(every.port)"))) == "421")
    }
}
