/// Logs recorded from real runs on Linux (Swift 6.3.1, gdb 13), kept verbatim as the parsers' fixtures:
/// RunArtifactParserTests parses each, cut short, and made hostile. Each multi-line literal ends with
/// the log's final newline (the empty line before the closing delimiter).
enum RecordedRunLogs {
    /// ThreadSanitizer's `log_path` file (`notes-tsan.<pid>`) from this program, built as notes builds it
    /// (`swiftc -swift-version 6 -module-name main -sanitize=thread -gline-tables-only main.swift`,
    /// in /tmp/rec) and run with `TSAN_OPTIONS="log_path=… exitcode=0 external_symbolizer_path=…"`:
    /// two Swift access races, on a global and on a heap object.
    ///
    ///     #sourceLocation(file: "02-races.md", line: 4)
    ///     import Foundation
    ///     nonisolated(unsafe) var counter = 0
    ///     func bump() { for _ in 0..<1000 { counter += 1 } }
    ///     let a = Thread { bump() }
    ///     let b = Thread { bump() }
    ///     a.start(); b.start()
    ///     Thread.sleep(forTimeInterval: 0.3)
    ///     final class Box: @unchecked Sendable { var value = 0 }
    ///     let box = Box()
    ///     let c = Thread { for _ in 0..<1000 { box.value += 1 } }
    ///     c.start()
    ///     for _ in 0..<1000 { box.value += 1 }
    ///     Thread.sleep(forTimeInterval: 0.3)
    ///     print("done")
    ///     #sourceLocation()
    static let tsan = #"""
    ==================
    WARNING: ThreadSanitizer: Swift access race (pid=9159)
      Modifying access of Swift variable at 0x559722bc7b00 by thread T2:
        #0 $s4main4bumpyyF /tmp/rec/02-races.md (main+0xfd191) (BuildId: ca2dc77dd3a43b7c1dbe4b5a95a9b22330017669)
        #1 $s4mainyyYbcfU0_ /tmp/rec/02-races.md:8:18 (main+0xfc5f5) (BuildId: ca2dc77dd3a43b7c1dbe4b5a95a9b22330017669)
        #2 $s10Foundation6ThreadC4mainyyF <null> (libFoundation.so+0x3795f8) (BuildId: bbe2057ad9a7c4b7122ec47d2500ff98e0395cef)
    
      Previous write of size 1 at 0x559722bc7b00 by thread T1:
        #0 $s4main4bumpyyF /tmp/rec/02-races.md:6:43 (main+0xfd1c1) (BuildId: ca2dc77dd3a43b7c1dbe4b5a95a9b22330017669)
        #1 $s4mainyyYbcfU_ /tmp/rec/02-races.md:7:18 (main+0xfc5b5) (BuildId: ca2dc77dd3a43b7c1dbe4b5a95a9b22330017669)
        #2 $s10Foundation6ThreadC4mainyyF <null> (libFoundation.so+0x3795f8) (BuildId: bbe2057ad9a7c4b7122ec47d2500ff98e0395cef)
    
      Location is global '$s4main7counterSivp' of size 8 at 0x559722bc7b00 (main+0x14bab00)
    
      Thread T2 'main' (tid=9162, running) created by main thread at:
        #0 pthread_create /home/build-user/llvm-project/compiler-rt/lib/tsan/rtl/tsan_interceptors_posix.cpp:1094:3 (main+0x7b89a) (BuildId: ca2dc77dd3a43b7c1dbe4b5a95a9b22330017669)
        #1 _CFThreadCreate <null> (libFoundation.so+0x3d79ca) (BuildId: bbe2057ad9a7c4b7122ec47d2500ff98e0395cef)
        #2 __libc_start_call_main csu/../sysdeps/nptl/libc_start_call_main.h:58:16 (libc.so.6+0x27249) (BuildId: 93ac61ec5a8eb1396f9fbd350e3169a558528a40)
    
      Thread T1 'main' (tid=9161, finished) created by main thread at:
        #0 pthread_create /home/build-user/llvm-project/compiler-rt/lib/tsan/rtl/tsan_interceptors_posix.cpp:1094:3 (main+0x7b89a) (BuildId: ca2dc77dd3a43b7c1dbe4b5a95a9b22330017669)
        #1 _CFThreadCreate <null> (libFoundation.so+0x3d79ca) (BuildId: bbe2057ad9a7c4b7122ec47d2500ff98e0395cef)
        #2 __libc_start_call_main csu/../sysdeps/nptl/libc_start_call_main.h:58:16 (libc.so.6+0x27249) (BuildId: 93ac61ec5a8eb1396f9fbd350e3169a558528a40)
    
    SUMMARY: ThreadSanitizer: Swift access race /tmp/rec/02-races.md in $s4main4bumpyyF
    ==================
    ==================
    WARNING: ThreadSanitizer: Swift access race (pid=9159)
      Modifying access of Swift variable at 0x720800000070 by thread T3:
        #0 $s4mainyyYbcfU1_ /tmp/rec/02-races.md (main+0xfc7cb) (BuildId: ca2dc77dd3a43b7c1dbe4b5a95a9b22330017669)
        #1 $s10Foundation6ThreadC4mainyyF <null> (libFoundation.so+0x3795f8) (BuildId: bbe2057ad9a7c4b7122ec47d2500ff98e0395cef)
    
      Previous write of size 8 at 0x720800000070 by main thread:
        #0 main /tmp/rec/02-races.md:15:31 (main+0xfd050) (BuildId: ca2dc77dd3a43b7c1dbe4b5a95a9b22330017669)
    
      Location is heap block of size 24 at 0x720800000060 allocated by main thread:
        #0 malloc /home/build-user/llvm-project/compiler-rt/lib/tsan/rtl/tsan_interceptors_posix.cpp:686:5 (main+0x79cb0) (BuildId: ca2dc77dd3a43b7c1dbe4b5a95a9b22330017669)
        #1 swift_slowAlloc <null> (libswiftCore.so+0x46fa6e) (BuildId: b521f25fdeacf504eca83d97c7308e8fc11be729)
        #2 main /tmp/rec/02-races.md:12:11 (main+0xfccd1) (BuildId: ca2dc77dd3a43b7c1dbe4b5a95a9b22330017669)
    
      Thread T3 'main' (tid=9164, running) created by main thread at:
        #0 pthread_create /home/build-user/llvm-project/compiler-rt/lib/tsan/rtl/tsan_interceptors_posix.cpp:1094:3 (main+0x7b89a) (BuildId: ca2dc77dd3a43b7c1dbe4b5a95a9b22330017669)
        #1 _CFThreadCreate <null> (libFoundation.so+0x3d79ca) (BuildId: bbe2057ad9a7c4b7122ec47d2500ff98e0395cef)
        #2 __libc_start_call_main csu/../sysdeps/nptl/libc_start_call_main.h:58:16 (libc.so.6+0x27249) (BuildId: 93ac61ec5a8eb1396f9fbd350e3169a558528a40)
    
    SUMMARY: ThreadSanitizer: Swift access race /tmp/rec/02-races.md in $s4mainyyYbcfU1_
    ==================
    ThreadSanitizer: reported 2 warnings

    """#

    /// `gdb -nx -batch -p PID -ex 'set debuginfod enabled off' -ex 'set print frame-info location-and-address'
    /// -ex 'thread apply all bt'` (as ThreadDump.capture runs it; its stdout) on this deadlocked program,
    /// /tmp/rec/dead, built with `-gline-tables-only`:
    ///
    ///     #sourceLocation(file: "10-deadlocks.md", line: 20)
    ///     import Foundation
    ///     let first = NSLock(), second = NSLock()
    ///     let one = Thread {
    ///         first.lock(); Thread.sleep(forTimeInterval: 0.1)
    ///         second.lock() // one waits here
    ///     }
    ///     let two = Thread {
    ///         second.lock(); Thread.sleep(forTimeInterval: 0.1)
    ///         first.lock() // two waits here
    ///     }
    ///     one.start(); two.start()
    ///     Thread.sleep(forTimeInterval: 60)
    ///     #sourceLocation()
    static let gdb = #"""
    [New LWP 30565]
    [New LWP 30566]
    [Thread debugging using libthread_db enabled]
    Using host libthread_db library "/lib/x86_64-linux-gnu/libthread_db.so.1".
    0x00007effb3114545 in __GI___clock_nanosleep (clock_id=clock_id@entry=0, flags=flags@entry=0, req=0x7ffe947c8b78, rem=0x0) at ../sysdeps/unix/sysv/linux/clock_nanosleep.c:48
    
    Thread 3 (Thread 0x7effafffe6c0 (LWP 30566) "dead"):
    #0  0x00007effb30cb12b in futex_wait (private=0, expected=2, futex_word=0x55faa5fed990) at ../sysdeps/nptl/futex-internal.h:146
    #1  0x00007effb30cb12b in __GI___lll_lock_wait (futex=futex@entry=0x55faa5fed990, private=0) at ./nptl/lowlevellock.c:49
    #2  0x00007effb30d1482 in lll_mutex_lock_optimized (mutex=0x55faa5fed990) at ./nptl/pthread_mutex_lock.c:48
    #3  0x00007effb30d1482 in ___pthread_mutex_lock (mutex=0x55faa5fed990) at ./nptl/pthread_mutex_lock.c:93
    #4  0x000055fa6b2cbeac in $s4mainyyYbcfU0_ () at 10-deadlocks.md:28
    #5  0x00007effb3f795f9 in $s10Foundation6ThreadC4mainyyF () from /opt/swift/usr/lib/swift/linux/libFoundation.so
    #6  0x00007effb3f783b7 in $s10Foundation13NSThreadStart33_643EAFDBA6441671515D9121EE76E49ELLySvSgADF () from /opt/swift/usr/lib/swift/linux/libFoundation.so
    #7  0x00007effb30ce1f5 in start_thread (arg=<optimized out>) at ./nptl/pthread_create.c:442
    #8  0x00007effb314e8ec in clone3 () at ../sysdeps/unix/sysv/linux/x86_64/clone3.S:81
    
    Thread 2 (Thread 0x7effb07ff6c0 (LWP 30565) "dead"):
    #0  0x00007effb30cb12b in futex_wait (private=0, expected=2, futex_word=0x55faa5fed9f0) at ../sysdeps/nptl/futex-internal.h:146
    #1  0x00007effb30cb12b in __GI___lll_lock_wait (futex=futex@entry=0x55faa5fed9f0, private=0) at ./nptl/lowlevellock.c:49
    #2  0x00007effb30d1482 in lll_mutex_lock_optimized (mutex=0x55faa5fed9f0) at ./nptl/pthread_mutex_lock.c:48
    #3  0x00007effb30d1482 in ___pthread_mutex_lock (mutex=0x55faa5fed9f0) at ./nptl/pthread_mutex_lock.c:93
    #4  0x000055fa6b2cbe2c in $s4mainyyYbcfU_ () at 10-deadlocks.md:24
    #5  0x00007effb3f795f9 in $s10Foundation6ThreadC4mainyyF () from /opt/swift/usr/lib/swift/linux/libFoundation.so
    #6  0x00007effb3f783b7 in $s10Foundation13NSThreadStart33_643EAFDBA6441671515D9121EE76E49ELLySvSgADF () from /opt/swift/usr/lib/swift/linux/libFoundation.so
    #7  0x00007effb30ce1f5 in start_thread (arg=<optimized out>) at ./nptl/pthread_create.c:442
    #8  0x00007effb314e8ec in clone3 () at ../sysdeps/unix/sysv/linux/x86_64/clone3.S:81
    
    Thread 1 (Thread 0x7effb4d15800 (LWP 30562) "dead"):
    #0  0x00007effb3114545 in __GI___clock_nanosleep (clock_id=clock_id@entry=0, flags=flags@entry=0, req=0x7ffe947c8b78, rem=0x0) at ../sysdeps/unix/sysv/linux/clock_nanosleep.c:48
    #1  0x00007effb3118e53 in __GI___nanosleep (req=<optimized out>, rem=<optimized out>) at ../sysdeps/unix/sysv/linux/nanosleep.c:25
    #2  0x00007effb3f791c3 in $s10Foundation6ThreadC5sleep15forTimeIntervalySd_tFZ () from /opt/swift/usr/lib/swift/linux/libFoundation.so
    #3  0x000055fa6b2cbf6b in main () at 10-deadlocks.md:31
    [Inferior 1 (process 30562) detached]

    """#

    /// The same process's /proc/PID/maps, the first eight lines and the last six (of 113).
    static let maps = #"""
    55fa6b2cb000-55fa6b2cd000 r-xp 00000000 fe:00 16220690                   /tmp/rec/dead
    55fa6b2cd000-55fa6b2ce000 r--p 00001000 fe:00 16220690                   /tmp/rec/dead
    55fa6b2ce000-55fa6b2cf000 rw-p 00002000 fe:00 16220690                   /tmp/rec/dead
    55faa5fdb000-55faa5ffc000 rw-p 00000000 00:00 0                          [heap]
    7effa0000000-7effa0021000 rw-p 00000000 00:00 0 
    7effa0021000-7effa4000000 ---p 00000000 00:00 0 
    7effa8000000-7effa8021000 rw-p 00000000 00:00 0 
    7effa8021000-7effac000000 ---p 00000000 00:00 0 
    7effb4d91000-7effb4db7000 r-xp 00001000 fe:00 332717                     /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2
    7effb4db7000-7effb4dc1000 r--p 00027000 fe:00 332717                     /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2
    7effb4dc1000-7effb4dc3000 r--p 00031000 fe:00 332717                     /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2
    7effb4dc3000-7effb4dc5000 rw-p 00033000 fe:00 332717                     /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2
    7ffe947aa000-7ffe947cb000 rw-p 00000000 00:00 0                          [stack]
    ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]

    """#

    /// `notes-timeline.tsv` as timeline.swift wrote it (NOTES_TIMELINE) for this program, compiled beside
    /// timeline.swift: spans on the main task, two threads, three child tasks, a named task, and nested.
    ///
    ///     import Foundation
    ///     let total = span("sum on main") { (1...1000).reduce(0, +) }
    ///     let workers = (1...2).map { n in Thread { span("worker \(n)") { Thread.sleep(forTimeInterval: 0.02) } } }
    ///     workers.forEach { $0.start() }
    ///     usleep(100_000)
    ///     func fetch(_ n: Int) async -> Int {
    ///         await span("fetch \(n)") {
    ///             try? await Task.sleep(for: .milliseconds(20))
    ///             return n
    ///         }
    ///     }
    ///     let sum = await withTaskGroup(of: Int.self) { group in
    ///         for n in 1...3 { group.addTask { await fetch(n) } }
    ///         var total = 0
    ///         for await n in group { total += n }
    ///         return total
    ///     }
    ///     let named = Task(name: "loader <b>&") { await span("load \"x\"") { try? await Task.sleep(for: .milliseconds(5)) } }
    ///     await named.value
    ///     await span("outer") { await span("inner") { try? await Task.sleep(for: .milliseconds(5)) } }
    ///     print(total, sum)
    static let timeline = """
    main\t8142193798197387930\t\t461944826656\t461945685596\tsum on main
    140202045597376\t\t\t461946085473\t461966158264\tworker 2
    140202053990080\t\t\t461946062047\t461966334964\tworker 1
    140202037204672\t124821468299030308\t\t462046728444\t462066851896\tfetch 2
    140202037204672\t-5449438357909874362\t\t462046735290\t462067026912\tfetch 3
    140202053990080\t-6101283525878559490\t\t462046565583\t462067065916\tfetch 1
    140201825400512\t6039611403729365956\tloader <b>&\t462067230477\t462072392188\tload "x"
    140201825400512\t8142193798197387930\t\t462072510832\t462077660647\tinner
    140201825400512\t8142193798197387930\t\t462072510383\t462077742744\touter

    """

    /// llvm-symbolizer's answers (`--obj=<binary> --no-inlines --no-demangle 0x…`, as Symbols.locate asks)
    /// for the addresses RaceReport asks about in `tsan` (the racy program, /tmp/rec/main): each is the
    /// mangled function, then file:line:column. Line 0 is no line.
    static let racesSymbolizer: [String: [String]] = [
        "0xfd192": ["$s4main4bumpyyF", "/tmp/rec/02-races.md:6:43"],
        "0xfc7cc": ["$s4mainyyYbcfU1_", "/tmp/rec/02-races.md:0:0"],
    ]

    /// The same for the addresses ThreadDump asks about in `gdb` (the deadlocked program, /tmp/rec/dead,
    /// mapped as `maps` says).
    static let deadlockSymbolizer: [String: [String]] = [
        "0xeab": ["$s4mainyyYbcfU0_", "/tmp/rec/10-deadlocks.md:28:11"],
        "0xe2b": ["$s4mainyyYbcfU_", "/tmp/rec/10-deadlocks.md:24:12"],
        "0xf6a": ["main", "/tmp/rec/10-deadlocks.md:31:8"],
    ]

    /// `swift-demangle --simplified --compact`'s answer for each mangled name in the logs above (a
    /// closure's context is left blank: `closure #3 in `).
    static let demangler: [String: String] = [
        "$s4main4bumpyyF": "bump()",
        "$s4main7counterSivp": "counter",
        "$s4mainyyYbcfU_": "closure #1 in ",
        "$s4mainyyYbcfU0_": "closure #2 in ",
        "$s4mainyyYbcfU1_": "closure #3 in ",
        "$s10Foundation6ThreadC4mainyyF": "Thread.main()",
        "$s10Foundation13NSThreadStart33_643EAFDBA6441671515D9121EE76E49ELLySvSgADF": "NSThreadStart(_:)",
        "$s10Foundation6ThreadC5sleep15forTimeIntervalySd_tFZ": "static Thread.sleep(forTimeInterval:)",
    ]
}
