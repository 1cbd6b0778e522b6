import Foundation
import Testing
@testable import NotesCore

/// Race reports, thread dumps and timelines through the real pipeline: ThreadSanitizer, gdb and the
/// real programs, on one course built once with `--tsan` and once without.
extension Compiling {
    @Suite("Races, hangs and timelines (real TSan, real gdb)")
    struct ConcurrencyVisibleTests {
        static let racy = """
        import Foundation
        nonisolated(unsafe) var counter = 0
        func bump() { for _ in 0..<1000 { counter += 1 } }
        let a = Thread { bump() }
        let b = Thread { bump() }
        a.start(); b.start()
        Thread.sleep(forTimeInterval: 0.3)
        print("done")
        """

        static let note = """
        # Made visible

        ```swift run id=racy expect=race
        \(racy)
        ```

        ```output
        done
        ```

        ```swift run id=race-free expect=race
        import Synchronization
        let counter = Mutex(0)
        counter.withLock { $0 += 1 }
        print(counter.withLock { $0 })
        ```

        ```output
        1
        ```

        ```swift run id=unmarked-race
        \(racy)
        ```

        ```output
        done
        ```

        ```swift run id=contended-mutex
        import Foundation
        import Synchronization
        final class Tally: @unchecked Sendable { var value = 0 }
        let tally = Tally(), lock = Mutex(())
        // The thread holds the lock while the main thread asks for it: Mutex's contended path.
        let holder = Thread { lock.withLock { _ in Thread.sleep(forTimeInterval: 0.1); tally.value += 1 } }
        holder.start()
        Thread.sleep(forTimeInterval: 0.02)
        lock.withLock { _ in tally.value += 1 }
        print(tally.value)
        ```

        ```output
        2
        ```

        ```swift run id=body-errors expect=timeout
        struct Point { var x: Int }
        func move() {
            let point = Point(x: 1)
            point.x = 2
        }
        let wrong: Int = "one"
        ```

        ```swift run id=deadlock expect=timeout timeout=1
        import Foundation
        let first = NSLock(), second = NSLock()
        let one = Thread {
            first.lock(); Thread.sleep(forTimeInterval: 0.1)
            second.lock() // one waits here
        }
        let two = Thread {
            second.lock(); Thread.sleep(forTimeInterval: 0.1)
            first.lock() // two waits here
        }
        one.start(); two.start()
        Thread.sleep(forTimeInterval: 60)
        ```

        ```output
        [stopped after 1 s: timeout]
        ```

        ```swift run id=spans timeline repeat=3
        import Foundation
        let total = span("sum on main") { (1...1000).reduce(0, +) }
        let workers = (1...2).map { n in Thread { span("worker \\(n)") { Thread.sleep(forTimeInterval: 0.02) } } }
        workers.forEach { $0.start() }
        usleep(100_000)
        print(total)
        ```

        ```output
        500500
        ```

        ```swift run id=task-spans timeline
        func fetch(_ n: Int) async -> Int {
            await span("fetch \\(n)") {
                try? await Task.sleep(for: .milliseconds(20))
                return n
            }
        }
        let sum = await withTaskGroup(of: Int.self) { group in
            for n in 1...3 { group.addTask { await fetch(n) } }
            var total = 0
            for await n in group { total += n }
            return total
        }
        print(sum)
        ```

        ```output
        6
        ```

        """

        static let withTSan = Task { try await BuiltCourse.build(notes: ["visible.md": note], tsan: true) }
        static let withoutTSan = Task { try await BuiltCourse.build(notes: ["visible.md": note]) }

        func fenceLine(_ needle: String, after: Int = 0) -> Int { line(of: needle, in: Self.note, after: after) }

        @Test func anExpectedRaceIsReportedAtTheMarkdownLinesOfBothAccesses() async throws {
            let course = try await Self.withoutTSan.value
            let report = try course.report("racy")
            #expect(report.verdict == .expectedFailure)
            let race = try #require(report.runs.first?.races.first)
            #expect(race.location == "global 'counter'")
            let bumpLine = fenceLine("func bump()")
            #expect(race.accesses.count == 2)
            #expect(race.accesses.allSatisfy { $0.page == "visible.md" && $0.line != nil })
            #expect(race.accesses.contains { $0.line == bumpLine && $0.function == "bump()" })
            let page = try course.page("visible.html")
            #expect(page.contains("ThreadSanitizer: \(race.kind) on global &#39;counter&#39;"))
            #expect(!page.contains("BuildId") && !page.contains("0x"))
        }

        @Test func expectRaceOnRaceFreeCodeFails() async throws {
            let report = try await Self.withoutTSan.value.report("race-free")
            #expect(report.verdict == .failed("expected ThreadSanitizer to report a data race, but it reported none"))
        }

        @Test func aRaceFailsAnUnmarkedSnippetOnlyUnderTSan() async throws {
            #expect(try await Self.withoutTSan.value.report("unmarked-race").verdict == .verified)
            let report = try await Self.withTSan.value.report("unmarked-race")
            guard case .failed(let reason) = report.verdict else {
                Issue.record("a racy snippet under --tsan passed: \(report.verdict)")
                return
            }
            #expect(reason.contains("ThreadSanitizer reported a"))
            // Each access at its own line, as compiler errors are.
            let bumpLine = fenceLine("func bump()", after: fenceLine("id=unmarked-race"))
            #expect(report.diagnostics.contains { $0.line == bumpLine && $0.file == "Content/visible.md" && $0.message.contains("bump()") })
            // The race-free and the expected ones are unchanged by --tsan.
            #expect(try await Self.withTSan.value.report("racy").verdict == .expectedFailure)
        }

        /// Mutex's contended path runs in libswiftSynchronization, built without TSan; without the sandbox's
        /// annotations TSan reports the accesses it guards as a race on every run.
        @Test func aContendedMutexIsNoRaceUnderTSan() async throws {
            let report = try await Self.withTSan.value.report("contended-mutex")
            #expect(report.verdict == .verified, "\(report.runs.first?.races.map { $0.text() } ?? [])")
        }

        /// Instrumented builds diagnose like plain ones: with `-g` the driver stopped at its emit-module job
        /// and never reported the error in `move()`'s body.
        @Test func anInstrumentedBuildReportsEveryErrorAPlainOneDoes() async throws {
            for course in [try await Self.withTSan.value, try await Self.withoutTSan.value] {
                let errors = try course.report("body-errors").compilerMessages.filter { $0.severity == .error }.map(\.line)
                #expect(errors.sorted() == [fenceLine("point.x = 2"), fenceLine("let wrong: Int")], "\(errors)")
            }
        }

        @Test func aHungProgramShowsWhereEachOfItsThreadsWaits() async throws {
            try #require(RunTools().debugger != nil, "gdb is not installed (./setup.sh --ci installs it)")
            let course = try await Self.withoutTSan.value
            let report = try course.report("deadlock")
            #expect(report.verdict == .expectedFailure)
            let dump = try #require(report.runs.first?.threads, "no thread dump")
            let waits = dump.threads.filter { $0.waitsIn.contains("pthread_mutex_lock") }
            #expect(waits.count == 2, "\(dump.text())")
            let lines = Set(waits.compactMap { $0.frames.first?.line })
            #expect(lines == [fenceLine("// one waits here"), fenceLine("// two waits here")], "\(dump.text())")
            #expect(dump.threads.contains { $0.name == "main thread" && $0.waitsIn.contains("sleep") })
            #expect(try course.page("visible.html").contains("Where the threads wait"))
        }

        @Test func aTimelineHasALanePerThreadAndIsDrawnFromTheMedianRun() async throws {
            let course = try await Self.withoutTSan.value
            let report = try course.report("spans")
            #expect(report.verdict == .verified)
            let timeline = try #require(report.runs.first?.timeline)
            #expect(timeline.lanes.sorted() == ["main thread", "thread 1", "thread 2"])
            #expect(Set(timeline.spans.map(\.label)) == ["sum on main", "worker 1", "worker 2"])
            #expect(timeline.runs == 3 && (1...3).contains(timeline.run))
            #expect(timeline.spans.allSatisfy { $0.start >= 0 && $0.end >= $0.start })
            #expect(timeline.spans.filter { $0.label.hasPrefix("worker") }.allSatisfy { $0.end - $0.start >= 19 })
            let page = try course.page("visible.html")
            #expect(page.contains("<svg") && page.contains("Timeline of snippet spans"))
            // The SVG's title is an element for screen readers, not text: GFM's tag filter must not reach it.
            #expect(page.contains("<title id=\"snippet-spans-timeline-title\">") && !page.contains("&lt;title"))
            #expect(page.contains("href=\"timeline.swift\""))
            // The reader can compile the snippet with the file the page links.
            let published = try #require(course.site["timeline.swift"])
            let tasks = try #require(try course.report("task-spans").runs.first?.timeline)
            #expect(tasks.lanes == ["task 1", "task 2", "task 3"], "a lane per child task: \(tasks.lanes)")
            #expect(tasks.spans.map(\.label).sorted() == ["fetch 1", "fetch 2", "fetch 3"])
            #expect(String(decoding: published, as: UTF8.self) == (try ProgramResource.timeline.text()))
        }
    }
}
