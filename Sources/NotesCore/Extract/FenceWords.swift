extension FenceWord {
    /// Every fence word, in the README's order.
    static let all: [FenceWord] = [
        FenceWord("run", scope: .any, meaning: "compile and run the snippet; its output is captured and shown under it",
                  example: "run") { options, _, _ in options.role = .run },
        FenceWord("setup", scope: .any, meaning: "declarations every `run` snippet on the same page can use; compiled, not run",
                  example: "setup") { options, _, _ in options.role = .setup },
        FenceWord("id", "NAME", scope: .runOrSetup,
                  meaning: "a stable name (letters, digits, `-`), unique across the site; default `<page>-<n>`",
                  example: "run id=race-demo") { options, value, fail in
            guard FenceOptions.isName(value) else { throw fail("id '\(value)' must use only letters, digits and '-'") }
            options.id = value
        },
        FenceWord("timeout", "SECONDS", scope: .run,
                  meaning: "bounds one run (default 10, or `timeout:` in `notes.yaml`); fractions allowed, from 0.1",
                  example: "run timeout=0.5") { options, value, fail in
            // Fractions too: a deadlock demo should not cost its reader seconds.
            guard value.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }), let seconds = Double(value),
                  seconds >= 0.1, seconds <= 3600 else {
                throw fail("timeout '\(value)' must be a number of seconds from 0.1 to 3600, such as 2 or 0.5")
            }
            options.timeout = seconds
        },
        FenceWord("expect", "…", scope: .run, docs: FenceOptions.Expectation.named.map(\.doc)) { options, value, fail in
            guard let named = FenceOptions.Expectation.named.first(where: { $0.name == value }) else {
                let names = FenceOptions.Expectation.named.map(\.name).joined(separator: ", ")
                throw fail("expect '\(value)' is not one of \(names)")
            }
            options.expectation = named.expectation
        },
        FenceWord("exit", "N", scope: .run, meaning: "with `expect=failure`: the exit code the program must end with",
                  example: "run expect=failure exit=3") { options, value, fail in
            guard let code = Int32(value), code > 0, code < 256 else { throw fail("exit '\(value)' must be from 1 to 255") }
            options.exitCode = code
        },
        FenceWord("unordered", scope: .run, meaning: "compare output lines as a multiset",
                  example: "run unordered") { options, _, _ in options.unordered = true },
        FenceWord("repeat", "N", scope: .run,
                  meaning: "run N times; every run must match; the page shows the distinct outputs and how often each appeared",
                  example: "run repeat=20") { options, value, fail in
            guard let count = Int(value), count >= 1, count <= 1000 else {
                throw fail("repeat '\(value)' must be a whole number from 1 to 1000")
            }
            options.repeatCount = count
        },
        FenceWord("serial", scope: .run, meaning: "never run alongside another snippet (timing demos)",
                  example: "run serial") { options, _, _ in options.serial = true },
        FenceWord("swift5", scope: .runOrSetup, meaning: "compile in Swift 5 language mode (`-swift-version 5`)",
                  example: "run swift5") { options, _, _ in options.swift5 = true },
        FenceWord("timeline", scope: .run,
                  meaning: "compile `timeline.swift` in too, whose `span(\"label\") { … }` records named spans; the page draws them as a timeline",
                  example: "run timeline") { options, _, _ in options.timeline = true },
        FenceWord("session", "NAME", scope: .run,
                  meaning: "`run` snippets of a page with the same session are one program (one `main.swift`, in page order); each shows its own output; only the last may use `expect=`; none may use `repeat=` or `timeline`",
                  example: "run session=bank") { options, value, fail in
            guard FenceOptions.isName(value) else { throw fail("session '\(value)' must use only letters, digits and '-'") }
            options.session = value
        },
    ]
}

extension FenceOptions.Expectation {
    /// The values of `expect=`, with their rows of the README's table.
    static let named: [(name: String, expectation: Self, doc: FenceWord.Doc)] = [
        ("compile-error", .compileError, doc("compile-error",
            "must fail to compile; its output is the compiler's messages with Markdown file:line; one that compiles fails at once and is not run")),
        ("crash", .crash, doc("crash", "must end by a signal or a Swift runtime trap; output includes the trap message, not the backtrace")),
        ("failure", .failure(exit: nil), doc("failure", "must exit with a nonzero code; `exit=N` requires that code")),
        ("timeout", .timeout, doc("timeout",
            "must still be running when the timeout fires (a deadlock demo); output ends with `[stopped after N s: timeout]`; the page shows where each thread waits (see [Races, hangs and timelines](#races-hangs-and-timelines))",
            example: "run expect=timeout timeout=2")),
        ("race", .race, doc("race",
            "built with ThreadSanitizer; must end normally, and TSan must report at least one data race; the page shows the report")),
        ("success", .success, doc("success", "the default: must end normally, with exit code 0")),
    ]

    private static func doc(_ name: String, _ meaning: String, example: String? = nil) -> FenceWord.Doc {
        FenceWord.Doc(written: "expect=\(name)", meaning: meaning, example: example ?? "run expect=\(name)")
    }
}
