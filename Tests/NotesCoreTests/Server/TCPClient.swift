import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A plain, blocking TCP client on 127.0.0.1, for saying exactly what a test means to the server.
final class TCPClient {
    private let fd: Int32

    /// Close-on-exec, so that a `notes serve` another test starts does not inherit it.
    init?(port: Int, address host: String = "127.0.0.1") {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr(host)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            return nil
        }
    }

    deinit { close(fd) }

    func send(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// What one read returns within `wait` seconds: empty when the server closed the connection or
    /// sent nothing in time (`closed` tells which).
    func receive(wait: Double) -> (bytes: [UInt8], closed: Bool) {
        var timeout = timeval(tv_sec: Int(wait), tv_usec: Int((wait - Double(Int(wait))) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var buffer = [UInt8](repeating: 0, count: 65536)
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        return count > 0 ? (Array(buffer[0..<count]), false) : ([], count == 0)
    }

    /// Sends `request` and returns whatever comes back until the server closes the connection or
    /// `wait` seconds pass without a byte.
    static func exchange(_ request: [UInt8], port: Int, address: String = "127.0.0.1", wait: Double) -> String {
        guard let client = TCPClient(port: port, address: address) else { return "connect failed" }
        client.send(request)
        var received: [UInt8] = []
        while true {
            let (bytes, _) = client.receive(wait: wait)
            if bytes.isEmpty { break }
            received += bytes
        }
        return String(decoding: received, as: UTF8.self)
    }
}
