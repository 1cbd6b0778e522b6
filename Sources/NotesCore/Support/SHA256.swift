import CCrypto
import Foundation

/// SHA-256 from the system's libcrypto (OpenSSL), which every Linux has: swift-crypto would build
/// BoringSSL from source, about a minute of a first build (Benchmarks/depcost.py), for one hash function.
final class SHA256 {
    private let context: OpaquePointer

    init() {
        context = EVP_MD_CTX_new()!
        EVP_DigestInit_ex(context, EVP_sha256(), nil)
    }

    deinit { EVP_MD_CTX_free(context) }

    func update(bufferPointer bytes: UnsafeRawBufferPointer) {
        EVP_DigestUpdate(context, bytes.baseAddress, bytes.count)
    }

    func update(data: Data) {
        data.withUnsafeBytes { update(bufferPointer: $0) }
    }

    /// The 32-byte digest of what went in so far. It finishes a copy, so more may go in afterwards,
    /// as with swift-crypto's value type.
    func finalize() -> [UInt8] {
        let copy = EVP_MD_CTX_new()!
        defer { EVP_MD_CTX_free(copy) }
        EVP_MD_CTX_copy_ex(copy, context)
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        EVP_DigestFinal_ex(copy, &digest, &length)
        return digest
    }

    static func hash(data: Data) -> [UInt8] {
        let hasher = SHA256()
        hasher.update(data: data)
        return hasher.finalize()
    }
}
