/// SHA-256 over length-prefixed fields, so ("ab", "c") and ("a", "bc") hash apart: the keys of the
/// result cache and of pages (`PageKey`). Fields go in without copies, and the hex comes from a table, not
/// `String(format:)`: a no-op build of 1000 pages computes 4000 of these keys.
struct ContentHash {
    private let hasher = SHA256()

    mutating func add(_ text: String) {
        var text = text
        text.withUTF8 { add(bytes: UnsafeRawBufferPointer($0)) }
    }

    mutating func add(bytes: UnsafeRawBufferPointer) {
        var prefix = "\(bytes.count):"
        prefix.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        hasher.update(bufferPointer: bytes)
    }

    var hex: String { Self.hex(hasher.finalize()) }

    /// The hash of one text.
    static func of(_ text: String) -> String {
        var hash = ContentHash()
        hash.add(text)
        return hash.hex
    }

    /// Lower-case hex of any bytes: digests, build ids.
    static func hex<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> String {
        var out: [UInt8] = []
        for byte in bytes { out += [digits[Int(byte >> 4)], digits[Int(byte & 0xF)]] }
        return String(decoding: out, as: UTF8.self)
    }

    private static let digits = Array("0123456789abcdef".utf8)
}
