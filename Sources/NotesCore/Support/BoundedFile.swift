#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file that a snippet's program could have written, replaced or forged, trusting neither its
/// size, nor its type, nor its name: never more than `limit` bytes are read or held (a forged 60 MB log
/// must cost notes no more than the cap), a symbolic link is refused (it could name any file notes may
/// read), and so is anything but a regular file (a FIFO would block notes, a device never end).
enum BoundedFile {
    /// `timeline.swift` writes ~60–100 bytes a span: 1 MiB holds every span Timeline keeps (10,000).
    static let timelineLimit = 1 << 20
    /// All of one run's ThreadSanitizer logs together: a report is 2–4 KB, so 4 MiB holds about a
    /// thousand, far more than RaceReport keeps (50).
    static let raceLogsLimit = 4 << 20
    /// At most this many logs are opened: a program can fork many children, each with its own log.
    static let raceLogsMaxFiles = 64
    /// `/proc/<pid>/maps` of a hung program: ~100 bytes a mapping. The binary's own come first, at its
    /// load address, below the heap and libraries; a program that maps a million regions loses only its dump.
    static let processMapsLimit = 1 << 20

    struct Contents: Sendable, Equatable {
        /// The first `limit` bytes of the file at most.
        var bytes: [UInt8]
        /// The file holds more than `bytes`.
        var truncated: Bool

        /// As text; bytes that are not UTF-8 become U+FFFD, so a parser never sees invalid text.
        var text: String { String(decoding: bytes, as: UTF8.self) }

        /// As text, without the last line when the cap cut it short: half a line (`…/02-races.md:1` of
        /// `…:15:31`) would read as a different line. Files read whole are all their text.
        var wholeLines: String {
            guard truncated else { return text }
            return String(decoding: bytes[..<(bytes.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0)], as: UTF8.self)
        }
    }

    enum Failure: Error, Equatable {
        case missing
        case symbolicLink
        /// A FIFO, socket, device or folder; or a file with other hard links, which could be a file the
        /// program may not read, linked into its folder.
        case notAPlainFile
        case unreadable(errno: Int32)
    }

    /// At most `limit` bytes of the file at `path`.
    static func read(_ path: String, limit: Int) throws(Failure) -> Contents {
        // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer; it is refused below.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard fd >= 0 else {
            switch errno {
            case ENOENT: throw .missing
            case ELOOP: throw .symbolicLink  // what O_NOFOLLOW answers for a link
            case let code: throw .unreadable(errno: code)
            }
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .unreadable(errno: errno) }
        guard info.st_mode & S_IFMT == S_IFREG, info.st_nlink <= 1 else { throw .notAPlainFile }

        let limit = max(limit, 0)
        // Files in /proc say size 0, and a file may still grow: the size only sizes the first buffer.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(min(limit, info.st_size > 0 ? Int(info.st_size) : 64 << 10))
        var chunk = [UInt8](repeating: 0, count: min(limit, 64 << 10))
        while bytes.count < limit {
            let want = min(chunk.count, limit - bytes.count)
            let got = chunk.withUnsafeMutableBytes { Self.read(fd, $0.baseAddress, want) }
            if got < 0, errno == EINTR { continue }
            guard got >= 0 else { throw .unreadable(errno: errno) }
            if got == 0 { return Contents(bytes: bytes, truncated: false) }
            // Grow by hand: the array's own doubling could reserve up to twice the limit.
            if bytes.capacity < bytes.count + got { bytes.reserveCapacity(min(limit, max(bytes.count * 2, bytes.count + got))) }
            bytes.append(contentsOf: chunk[..<got])
        }
        // At the limit: one byte more tells whether the file goes on.
        var probe: UInt8 = 0
        var more = Self.read(fd, &probe, 1)
        while more < 0, errno == EINTR { more = Self.read(fd, &probe, 1) }
        return Contents(bytes: bytes, truncated: more > 0)
    }

    /// Several files sharing one budget of `totalLimit` bytes, in the order given, at most `maxFiles`
    /// of them: the files that could be read (missing, linked or special ones are skipped), and whether
    /// anything was left out (a file cut, or files not opened once the budget or the count ran out).
    static func read(_ paths: [String], totalLimit: Int, maxFiles: Int = raceLogsMaxFiles)
        -> (files: [Contents], truncated: Bool) {
        let maxFiles = max(maxFiles, 0)
        var files: [Contents] = [], budget = max(totalLimit, 0), truncated = paths.count > maxFiles
        for path in paths.prefix(maxFiles) {
            // With the budget spent, a file is still opened, to tell an empty one from one left out.
            guard let contents = try? read(path, limit: budget) else { continue }
            budget -= contents.bytes.count
            truncated = truncated || contents.truncated
            files.append(contents)
        }
        return (files, truncated)
    }

    private static func read(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
        #if canImport(Glibc)
        Glibc.read(fd, buffer, count)
        #else
        Darwin.read(fd, buffer, count)
        #endif
    }
}

/// The lines of `text` (without their "\n"), each cut to `maxLength` Unicode scalars, one at a time:
/// a parser of a program's output can stop early, and holds one line, never the whole text split up.
/// The scalar cut bounds the work per line even where one Character has a million scalars.
/// With `wholeLinesOnly`, a last line without its "\n" (output cut short at a cap) is not read.
struct TextLines: Sequence, IteratorProtocol {
    private let text: String
    private var position: String.Index
    private let maxLength: Int
    private let wholeLinesOnly: Bool

    init(_ text: String, maxLength: Int, wholeLinesOnly: Bool = false) {
        self.text = text
        position = text.startIndex
        self.maxLength = Swift.max(maxLength, 0)
        self.wholeLinesOnly = wholeLinesOnly
    }

    mutating func next() -> Substring? {
        guard position < text.endIndex else { return nil }
        guard let newline = text.utf8[position...].firstIndex(of: UInt8(ascii: "\n")) ?? (wholeLinesOnly ? nil : text.endIndex) else {
            position = text.endIndex
            return nil
        }
        let line = text[position..<newline]
        position = newline == text.endIndex ? newline : text.utf8.index(after: newline)
        let scalars = line.unicodeScalars
        return line[..<(scalars.index(scalars.startIndex, offsetBy: maxLength, limitedBy: scalars.endIndex) ?? scalars.endIndex)]
    }
}
