import Foundation

/// Which build of notes is running. Rendered pages are reused only by the build that made them:
/// any change to the renderer may change every page. On Linux the linker's GNU build ID (a hash of
/// the linked program) says it from a few kilobytes of the binary; elsewhere the whole binary is hashed.
enum ProgramIdentity {
    static let current: String = buildID() ?? executableHash() ?? "unknown"

    /// Read from the ELF file's note segments: its header and program headers say where they are.
    private static func buildID() -> String? {
        guard let file = FileHandle(forReadingAtPath: "/proc/self/exe") else { return nil }
        defer { try? file.close() }
        func read(_ offset: UInt64, _ count: Int) -> Data? {
            guard (try? file.seek(toOffset: offset)) != nil, let data = try? file.read(upToCount: count),
                  data.count == count else { return nil }
            return data
        }
        // 64-bit little-endian ELF only (what Swift on Linux builds); anything else is hashed instead.
        guard let header = read(0, 64), header.starts(with: [0x7F, 0x45, 0x4C, 0x46, 2, 1]) else { return nil }
        let tableOffset = UInt64(header.little(0x20, as: UInt64.self))
        let entrySize = Int(header.little(0x36, as: UInt16.self)), entries = Int(header.little(0x38, as: UInt16.self))
        guard entrySize >= 56, let table = read(tableOffset, entrySize * entries) else { return nil }
        for index in 0..<entries where table.little(index * entrySize, as: UInt32.self) == 4 {  // PT_NOTE
            let offset = table.little(index * entrySize + 8, as: UInt64.self)
            let size = Int(table.little(index * entrySize + 32, as: UInt64.self))
            guard size < 1 << 20, let notes = read(offset, size) else { continue }
            if let id = notes.withUnsafeBytes({ gnuBuildID(in: $0) }) {
                return "build-id " + ContentHash.hex(id)
            }
        }
        return nil
    }

    /// The descriptor of the `NT_GNU_BUILD_ID` note in an ELF note segment: namesz, descsz, type, name, desc.
    static func gnuBuildID(in notes: UnsafeRawBufferPointer) -> [UInt8]? {
        var offset = 0
        let align = { (n: Int) in (n + 3) & ~3 }
        while offset + 12 <= notes.count {
            let nameSize = Int(notes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
            let descSize = Int(notes.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self))
            let type = notes.loadUnaligned(fromByteOffset: offset + 8, as: UInt32.self)
            let name = offset + 12, desc = name + align(nameSize)
            guard desc + descSize <= notes.count else { return nil }
            if type == 3, nameSize == 4, Array(notes[name..<name + 4]) == Array("GNU\0".utf8) {
                return Array(notes[desc..<desc + descSize])
            }
            offset = desc + align(descSize)
        }
        return nil
    }

    private static func executableHash() -> String? {
        guard let url = Bundle.main.executableURL, let file = try? FileHandle(forReadingFrom: url) else { return nil }
        defer { try? file.close() }
        let hasher = SHA256()
        while let chunk = try? file.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        return "sha256 " + ContentHash.hex(hasher.finalize())
    }
}

private extension Data {
    func little<T: FixedWidthInteger>(_ offset: Int, as: T.Type) -> T {
        withUnsafeBytes { T(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: T.self)) }
    }
}
