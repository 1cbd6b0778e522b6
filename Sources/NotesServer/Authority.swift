#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which `Host` a request must name, and which page `Origin` may open live reload. A web page can
/// make the browser send requests to 127.0.0.1, and with DNS rebinding (its own name answering
/// 127.0.0.1 a moment after the page loaded) read the answers as its own. Such requests name the
/// page's host, so only requests that name this server are answered: its loopback address or
/// `localhost` (DNS names compare case-blind), with the port it listens on.
struct Authority: Sendable {
    let port: Int
    /// Lower-cased, IPv6 addresses in brackets, as in a `Host` header.
    let hosts: Set<String>
    /// Listening on every interface (0.0.0.0 or ::), any address of the machine reaches the server.
    /// Rebinding needs a name, so then any IP address is taken as naming it.
    let anyAddress: Bool

    /// `address` as the listening socket reports it (`127.0.0.1`, `::`), and the port it is bound to.
    init(address: String, port: Int) {
        self.port = port
        let own = address.contains(":") ? "[\(address.lowercased())]" : address
        hosts = ["127.0.0.1", "localhost", "[::1]", own]
        anyAddress = address == "0.0.0.0" || address == "::"
    }

    /// A `Host` header: `127.0.0.1:8000`, `LOCALHOST:8000`, `[::1]:8000`; without a port it means 80.
    func allows(host authority: String) -> Bool {
        let authority = authority.lowercased()
        var name = Substring(authority)
        var port = 80
        // The port follows the last colon, unless that colon is inside an IPv6 address's brackets.
        if let colon = authority.lastIndex(of: ":"), !authority[colon...].contains("]") {
            let digits = authority[authority.index(after: colon)...]
            guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(digits) else {
                return false
            }
            name = authority[..<colon]
            port = number
        }
        guard port == self.port else { return false }
        return hosts.contains(String(name)) || (anyAddress && Self.isAddress(name))
    }

    /// An `Origin` header: `http://` and an authority `allows(host:)` takes (`null`, `https:` are not).
    func allows(origin: String) -> Bool {
        let scheme = "http://"
        guard origin.lowercased().hasPrefix(scheme) else { return false }
        return allows(host: String(origin.dropFirst(scheme.count)))
    }

    private static func isAddress(_ name: Substring) -> Bool {
        var bytes = in6_addr()
        if name.hasPrefix("["), name.hasSuffix("]") {
            return inet_pton(AF_INET6, String(name.dropFirst().dropLast()), &bytes) == 1
        }
        return inet_pton(AF_INET, String(name), &bytes) == 1
    }
}
