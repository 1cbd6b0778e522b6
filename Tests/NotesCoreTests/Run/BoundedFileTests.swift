import Dispatch
import Foundation
import Testing
@testable import NotesCore
#if canImport(Glibc)
import Glibc
#endif

/// Reading what a run leaves with a byte cap: links, FIFOs, devices and hard links refused.
extension RunArtifactParserTests {
    // MARK: BoundedFile

    @Test func neverReturnsMoreThanTheCap() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let file = folder.path("log").path
        try Data(repeating: UInt8(ascii: "a"), count: 100_000).write(to: folder.path("log"))
        for limit in [0, 1, 999, 65_536, 65_537, 99_999] {
            let read = try BoundedFile.read(file, limit: limit)
            #expect(read.bytes.count == limit && read.truncated, "limit \(limit)")
        }
        for limit in [100_000, 100_001, 1 << 20] {
            let read = try BoundedFile.read(file, limit: limit)
            #expect(read.bytes.count == 100_000 && !read.truncated, "limit \(limit)")
        }
        #expect(try BoundedFile.read(file, limit: -5) == .init(bytes: [], truncated: true))
        try Data().write(to: folder.path("empty"))
        #expect(try BoundedFile.read(folder.path("empty").path, limit: 0) == .init(bytes: [], truncated: false))
    }

    @Test func aForgedSixtyMegabyteLogCostsOnlyTheCap() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        // Sparse files: 60 MB each as far as reading goes, nothing on disk.
        var paths: [String] = []
        for index in 0..<8 {
            let path = folder.path("notes-tsan.\(index)").path
            #expect(FileManager.default.createFile(atPath: path, contents: Data("x".utf8)))
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            try handle.truncate(atOffset: 60 << 20)
            try handle.close()
            paths.append(path)
        }
        let one = try BoundedFile.read(paths[0], limit: BoundedFile.raceLogsLimit)
        #expect(one.bytes.count == BoundedFile.raceLogsLimit && one.truncated)
        #expect(one.bytes.capacity < 2 * BoundedFile.raceLogsLimit)

        let all = BoundedFile.read(paths, totalLimit: BoundedFile.raceLogsLimit)
        #expect(all.files.map(\.bytes.count) == [BoundedFile.raceLogsLimit, 0, 0, 0, 0, 0, 0, 0], "one budget for all")
        #expect(all.truncated)
    }

    @Test func severalFilesShareOneBudgetAndCount() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let paths = try (0..<3).map { try folder.write("log\($0)", String(repeating: "\($0)", count: 3_000)).path }
        let shared = BoundedFile.read(paths, totalLimit: 5_000)
        #expect(shared.files.map(\.bytes.count) == [3_000, 2_000, 0])
        #expect(shared.files.map(\.truncated) == [false, true, true])
        #expect(shared.truncated)

        let exact = BoundedFile.read(paths, totalLimit: 9_000)
        #expect(exact.files.map(\.bytes.count) == [3_000, 3_000, 3_000] && !exact.truncated)

        let counted = BoundedFile.read(paths, totalLimit: 1 << 20, maxFiles: 2)
        #expect(counted.files.count == 2 && counted.truncated, "files past the count are left out, and that is told")
        #expect(BoundedFile.read(paths, totalLimit: -1, maxFiles: -1).files.isEmpty)

        // Missing, linked and special files are skipped.
        try FileManager.default.createSymbolicLink(atPath: folder.path("link").path, withDestinationPath: paths[0])
        #expect(mkfifo(folder.path("fifo").path, 0o644) == 0)
        let mixed = BoundedFile.read([folder.path("missing").path, folder.path("link").path, folder.path("fifo").path, paths[2]],
                                     totalLimit: 1 << 20)
        #expect(mixed.files.map(\.bytes) == [Array(String(repeating: "2", count: 3_000).utf8)])
        #expect(!mixed.truncated)
    }

    @Test func refusesASymbolicLinkAndHandlesAMissingFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let target = try folder.write("target", "secret\n").path
        try FileManager.default.createSymbolicLink(atPath: folder.path("link").path, withDestinationPath: target)
        #expect(throws: BoundedFile.Failure.symbolicLink) { try BoundedFile.read(folder.path("link").path, limit: 100) }
        try FileManager.default.createSymbolicLink(atPath: folder.path("dangling").path, withDestinationPath: folder.path("none").path)
        #expect(throws: BoundedFile.Failure.symbolicLink) { try BoundedFile.read(folder.path("dangling").path, limit: 100) }
        #expect(throws: BoundedFile.Failure.missing) { try BoundedFile.read(folder.path("none").path, limit: 100) }
        #expect(throws: BoundedFile.Failure.missing) { try BoundedFile.read(folder.path("none/deeper").path, limit: 100) }
    }

    final class Outcome: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: Result<BoundedFile.Contents, BoundedFile.Failure>?
        var value: Result<BoundedFile.Contents, BoundedFile.Failure>? {
            get { lock.withLock { stored } }
            set { lock.withLock { stored = newValue } }
        }
    }

    @Test func refusesAFIFOWithoutBlocking() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let fifo = folder.path("notes-timeline.tsv").path
        try #require(mkfifo(fifo, 0o644) == 0)
        // On a thread of its own: should the read block, the test says so instead of hanging.
        let outcome = Outcome(), done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            outcome.value = Result { () throws(BoundedFile.Failure) in try BoundedFile.read(fifo, limit: 100) }
            done.signal()
        }
        if done.wait(timeout: .now() + 5) == .timedOut {
            Issue.record("reading a FIFO blocked")
            let writer = open(fifo, O_WRONLY | O_NONBLOCK)  // lets the blocked reader go
            done.wait()
            close(writer)
        }
        #expect(throws: BoundedFile.Failure.notAPlainFile) { try outcome.value?.get() }
    }

    @Test func refusesDevicesFoldersAndHardLinks() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        #expect(throws: BoundedFile.Failure.notAPlainFile) { try BoundedFile.read("/dev/zero", limit: 100) }
        #expect(throws: BoundedFile.Failure.notAPlainFile) { try BoundedFile.read(folder.url.path, limit: 100) }
        let original = try folder.write("original", "x\n").path
        try FileManager.default.linkItem(atPath: original, toPath: folder.path("hard").path)
        #expect(throws: BoundedFile.Failure.notAPlainFile) { try BoundedFile.read(folder.path("hard").path, limit: 100) }
    }

    @Test func procFilesThatSaySizeZeroAreRead() throws {
        let maps = try BoundedFile.read("/proc/self/maps", limit: BoundedFile.processMapsLimit)
        #expect(!maps.bytes.isEmpty)
        #expect(maps.text.contains("[stack]") || maps.truncated)
    }

    @Test func wholeLinesLeaveOutTheLineTheCapCut() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let file = try folder.write("log", "first\nsecond\nthird\n").path
        #expect(try BoundedFile.read(file, limit: 9).wholeLines == "first\n")
        #expect(try BoundedFile.read(file, limit: 5).wholeLines == "")
        #expect(try BoundedFile.read(file, limit: 100).wholeLines == "first\nsecond\nthird\n")
        let unterminated = try folder.write("partial", "first\nsecond").path
        #expect(try BoundedFile.read(unterminated, limit: 100).wholeLines == "first\nsecond", "read whole: all of it")
    }

    @Test func textLinesAreCutAndAPartialLastLineCanBeLeftOut() {
        #expect(Array(TextLines("a\nbb\n\nccc", maxLength: 2)) == ["a", "bb", "", "cc"])
        #expect(Array(TextLines("a\nbb\n\nccc", maxLength: 2, wholeLinesOnly: true)) == ["a", "bb", ""])
        #expect(Array(TextLines("a\n", maxLength: 0)) == [""])
        #expect(Array(TextLines("", maxLength: 5)).isEmpty)
        #expect(Array(TextLines("e\u{301}\u{301}\u{301}\n", maxLength: 2)).map { $0.unicodeScalars.count } == [2])
    }
}
