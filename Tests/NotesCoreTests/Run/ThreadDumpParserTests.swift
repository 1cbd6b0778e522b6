import Dispatch
import Foundation
import Testing
@testable import NotesCore
#if canImport(Glibc)
import Glibc
#endif

/// gdb's `thread apply all bt`, and the answers of swift-demangle and llvm-symbolizer.
extension RunArtifactParserTests {
    // MARK: ThreadDump (gdb's `thread apply all bt`)

    @Test func recordedGdbDumpParsesIntoThreads() {
        let threads = ThreadDump.parse(RecordedRunLogs.gdb)
        #expect(threads.map(\.number) == [1, 2, 3], "main thread first")
        #expect(threads.map(\.frames.count) == [4, 9, 9])
        #expect(threads[0].frames[3] == .init(index: 3, address: 0x0000_55fa_6b2c_bf6b, function: "main"))
        #expect(threads[2].frames[4] == .init(index: 4, address: 0x0000_55fa_6b2c_beac, function: "$s4mainyyYbcfU0_"))
        #expect(threads[1].frames[3].function == "___pthread_mutex_lock")
    }

    @Test func recordedGdbDumpWithTheToolsRecordedAnswers() throws {
        let mapped = try #require(ThreadDump.mapping(maps: RecordedRunLogs.maps, binary: "/tmp/rec/dead"))
        #expect(mapped == 0x55fa_6b2c_b000..<0x55fa_6b2c_f000)
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let symbols = try Self.recordedSymbols(RecordedRunLogs.deadlockSymbolizer, in: folder)
        let dump = try #require(ThreadDump.dump(ThreadDump.parse(RecordedRunLogs.gdb), mapped: mapped, binary: "/tmp/rec/dead",
                                                pages: ["10-deadlocks.md"], symbols: symbols))
        #expect(dump.text() == """
            main thread waits in static Thread.sleep(forTimeInterval:)
                top-level code at 10-deadlocks.md:31
            thread 1 waits in pthread_mutex_lock
                closure #1 in top-level code at 10-deadlocks.md:24
            thread 2 waits in pthread_mutex_lock
                closure #2 in top-level code at 10-deadlocks.md:28
            """)
        #expect(dump.otherThreads == 0)

        // Without tools nothing is placed on the page: every thread is the runtime's.
        let bare = ThreadDump.dump(ThreadDump.parse(RecordedRunLogs.gdb), mapped: mapped, binary: "/tmp/rec/dead",
                                   pages: ["10-deadlocks.md"], symbols: Symbols())
        #expect(bare == ThreadDump(threads: [], otherThreads: 3))
    }

    @Test func recordedGdbDumpCutAnywhereIsAConsistentPrefix() {
        let full = ThreadDump.parse(RecordedRunLogs.gdb)
        for cut in Self.cutPoints(RecordedRunLogs.gdb) {
            let threads = ThreadDump.parse(Self.prefix(RecordedRunLogs.gdb, bytes: cut))
            #expect(threads.map(\.number) == threads.map(\.number).sorted(), "cut at \(cut)")
            for thread in threads {
                guard let whole = full.first(where: { $0.number == thread.number }) else {
                    Issue.record("cut at \(cut): thread \(thread.number) is not in the whole dump")
                    continue
                }
                #expect(Array(whole.frames.prefix(thread.frames.count)) == thread.frames, "cut at \(cut)")
            }
        }
        for cut in Self.cutPoints(RecordedRunLogs.maps) {
            let mapped = ThreadDump.mapping(maps: Self.prefix(RecordedRunLogs.maps, bytes: cut), binary: "/tmp/rec/dead")
            #expect(mapped == nil || mapped!.lowerBound == 0x55fa_6b2c_b000, "cut at \(cut)")
        }
    }

    @Test func thousandsOfThreadsAndDeepStacksAreCapped() {
        // gdb prints the highest thread number first; the lowest are kept.
        var text = (1...5_000).reversed().map { "Thread \($0) (Thread 0x1 (LWP \($0)) \"x\"):\n#0  0x0000000000001000 in f\($0) ()\n\n" }.joined()
        text += "Thread 5001 (deep):\n" + (0..<20_000).map { "#\($0)  0x0000000000002000 in recurse ()\n" }.joined()
        let threads = ThreadDump.parse(text)
        #expect(threads.map(\.number) == Array(1...ThreadDump.maxThreads))
        #expect(threads.allSatisfy { $0.frames == [.init(index: 0, address: 0x1000, function: "f\($0.number)")] })

        let deep = ThreadDump.parse("Thread 1 (deep):\n" + (0..<20_000).map { "#\($0)  0x0000000000002000 in recurse ()\n" }.joined())
        #expect(deep.first?.frames.count == ThreadDump.maxFrames)
        #expect(deep.first?.frames.last?.index == ThreadDump.maxFrames - 1, "the innermost frames, where it waits")
    }

    @Test func forgedGdbOutputParsesWithoutATrap() throws {
        let huge = String(repeating: "r", count: 10 << 20)
        let text = """
            #0  0x0000555555554100 in before_any_thread ()
            Thread 99999999999999999999999 (overflowing):
            #0  0x0000555555554100 in orphan ()
            Thread ٣ (Arabic-Indic digit):
            #0  0x0000555555554100 in not_a_number ()
            Thread 2 (Thread 0x1 (LWP 2) "x"):
            #99999999999999999999 0x0000555555554100 in overflowing_index ()
            #1  0xffffffffffffffffffff in overflowing_address ()
            #-1 0x0000555555554101 in negative_index ()
            #
            #2
            #3  0x
            #4  0x0000555555554102
            #5  0x0000555555554103 in
            #6  0x0000555555554104 in \(huge) ()
            Thread 1 (Thread 0x2 (LWP 1) "x"):
            #1  0x0000555555554000 in at_the_binary_start ()
            #2  0x0000555555560000 in just_past_its_end ()
            #3  0x0000555555554000
            """ + "\n"
        let threads = ThreadDump.parse(text)
        #expect(threads.map(\.number) == [1, 2])
        #expect(threads[1].frames.map(\.function).prefix(5) == ["0xffffffffffffffffffff", "negative_index", "0x", "??", "??"])
        #expect(threads[1].frames.last!.function.unicodeScalars.count < ThreadDump.maxLine)
        // A return address at the binary's first byte has no call before it: no offset, no underflow.
        let dump = ThreadDump.dump(threads, mapped: 0x5555_5555_4000..<0x5555_5556_0000, binary: "/nonexistent",
                                   pages: ["p.md"], symbols: Symbols())
        #expect(dump == ThreadDump(threads: [], otherThreads: 2))
        #expect(ThreadDump.dump([], mapped: 0..<1, binary: "/nonexistent", pages: [], symbols: Symbols()) == nil)

        let maps = """
            ffffffffffffffffffff-1 r-xp 00000000 00:00 0 /bin/x
            2000-1000 r-xp 00000000 00:00 0 /bin/x
            -
            1000 r-xp 00000000 00:00 0 /bin/x
            0-0 r-xp 00000000 00:00 0 /bin/x
            \(huge.prefix(1 << 20))
            """ + "\n"
        #expect(ThreadDump.mapping(maps: maps, binary: "/bin/x") == nil)
        #expect(ThreadDump.mapping(maps: maps + "1000-3000 r-xp 00000000 00:00 0 /bin/x\n", binary: "/bin/x") == 0x2000..<0x3000,
                "the first mapping at file offset 0 is where it starts")
    }

    // MARK: Symbols (swift-demangle and llvm-symbolizer)

    @Test func demanglerRunsStayUnderTheArgumentLimit() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let log = folder.path("runs").path
        // Answers `D:<name>` for each name, and notes how many bytes of arguments each run had.
        let demangler = try Self.replayTool([:], otherwise: #"printf 'D:%s\n' "$a""#, in: folder, name: "demangler",
                                            prelude: "printf '%s\\n' \"$*\" | wc -c >> '\(log)'\n")

        let names = (0..<300).map { "$s" + String(repeating: "m", count: 3_000) + "\($0)" }
        let tooLong = "$s" + String(repeating: "n", count: Symbols.maxName)
        let plain = ["___pthread_mutex_lock", "__GI___lll_lock_wait", "main", "_", ""]
        let readable = Symbols(demangler: demangler).demangle(names + [tooLong] + plain + names.reversed())
        let expected = names.map { "D:" + $0 } + [tooLong] + ["pthread_mutex_lock", "lll_lock_wait", "top-level code", "", ""]
            + names.reversed().map { "D:" + $0 }
        // Compared piece by piece: a failure printing 2 MB of names helps no one.
        #expect(readable.count == expected.count)
        for (index, (got, want)) in zip(readable, expected).enumerated() where got != want {
            Issue.record("name \(index): \(got.prefix(20))…\(got.suffix(8)) is not \(want.prefix(20))…\(want.suffix(8))")
            break
        }
        let runs = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        #expect(runs.count >= 4, "300 names of 3 KB take several runs")
        #expect(runs.allSatisfy { $0 <= Symbols.maxArguments + 64 }, "\(runs)")
    }

    @Test func symbolizerOutputThatIsNotWhatItShouldBeNeverTraps() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let answers: [String: [String]] = [
            "0x1": ["f", "/p.md:99999999999999999999:1", ""],
            "0x2": [":::", ":::", ""],
            "0x3": ["g", "/p.md:-4:1", ""],
            "0x4": ["only one line", ""],
            "0x5": ["h", "/a:b:c/p.md:7:0", ""],
        ]
        let symbolizer = try Self.replayTool(answers, otherwise: ":", in: folder, name: "symbolizer")
        let places = Symbols(symbolizer: symbolizer).locate(binary: "/nonexistent", offsets: [1, 2, 3, 4, 5, 6, UInt64.max])
        #expect(places.count == 7)
        #expect(places.map { $0?.line } == [nil, nil, nil, nil, 7, nil, nil])
        #expect(places[4]?.file == "/a:b:c/p.md" && places[4]?.function == "h")
        #expect(Symbols().locate(binary: "/nonexistent", offsets: [1]).count == 1)
    }
}
