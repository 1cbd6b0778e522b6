import Foundation
@testable import NotesCore

/// The oracle of the differential test: a program compiled and run the way its reader would, with
/// nothing of notes in between. `main.swift` is the snippet's code (a session's snippets one after
/// another), `setup.swift` the page's setup blocks (and `timeline.swift` for a `timeline` snippet);
/// `swiftc -swift-version N main.swift setup.swift`,
/// then `./main` as a terminal would run it (stdout line-buffered, through `stdbuf`), under `timeout`.
struct PlainProgram {
    /// How a program ended, in words both sides can be compared in.
    enum Ending: Equatable, CustomStringConvertible {
        case compileError, exited(Int32), signaled(Int32), timedOut

        var description: String {
            switch self {
            case .compileError: "compile error"
            case .exited(let code): "exit \(code)"
            case .signaled(let signal): "signal \(signal)"
            case .timedOut: "timeout"
            }
        }
    }

    struct Outcome {
        var ending: Ending
        /// Diagnostics as `severity file:line:column message`, with main.swift and setup.swift lines
        /// put back at their Markdown lines.
        var messages: Set<String>
        /// stdout and stderr in one pipe, with the runtime's backtrace dump removed and file:line put back.
        var output: String
    }

    var entry: RunEntry
    var setup: [Snippet]
    var swiftVersion: Int
    var timeout: Double

    /// Where each snippet's first line lands in its generated file.
    private func layout(_ snippets: [Snippet]) -> (text: String, starts: [(line: Int, snippet: Snippet)]) {
        var text = ""
        var starts: [(Int, Snippet)] = []
        var line = 1
        for snippet in snippets {
            var code = snippet.code
            if !code.hasSuffix("\n") { code += "\n" }
            starts.append((line, snippet))
            line += code.filter { $0 == "\n" }.count
            text += code
        }
        return (text, starts)
    }

    func run(in directory: URL) throws -> Outcome {
        let main = layout(entry.snippets)
        let setupFile = layout(setup)
        try Data(main.text.utf8).write(to: directory.appendingPathComponent("main.swift"))
        var files = ["main.swift"]
        if !setup.isEmpty {
            try Data(setupFile.text.utf8).write(to: directory.appendingPathComponent("setup.swift"))
            files.append("setup.swift")
        }
        // A `timeline` snippet's reader compiles the file the page links, which defines span(_:_:).
        if entry.snippets.contains(where: { $0.options.timeline }) {
            try Data(ProgramResource.timeline.text().utf8).write(to: directory.appendingPathComponent(ProgramResource.timeline.fileName))
            files.append(ProgramResource.timeline.fileName)
        }
        /// `main.swift:12` → `page.md:40`.
        func markdown(_ file: String, _ line: Int) -> (String, Int)? {
            let starts = file == "main.swift" ? main.starts : file == "setup.swift" ? setupFile.starts : []
            guard let start = starts.last(where: { $0.line <= line }) else { return nil }
            return (start.snippet.page, start.snippet.line + 1 + line - start.line)
        }

        let compile = try Self.execute(["swiftc", "-swift-version", String(swiftVersion), "-diagnostic-style", "llvm"] + files,
                                       in: directory, timeout: 600)
        var messages = Set<String>()
        for message in CompilerMessage.parse(compile.output) {
            var (file, line) = (message.file, message.line)
            if let mapped = markdown(file, line) { (file, line) = mapped }
            messages.insert("\(message.severity) \(file):\(line):\(message.column) \(message.message)")
        }
        guard compile.ending == .exited(0) else { return Outcome(ending: .compileError, messages: messages, output: "") }

        let started = Date()
        let run = try Self.execute(["timeout", "-k", "1", String(timeout), "stdbuf", "-oL", "./main"], in: directory,
                                   timeout: timeout + 30)
        let stopped = Date().timeIntervalSince(started) >= timeout
        var output = run.output.replacingOccurrences(of: directory.path + "/", with: "")
        // Traps name `main/main.swift:LINE` (Swift 6) or `main.swift:LINE` (Swift 5's #file).
        let located = try NSRegularExpression(pattern: #"(main|setup)\.swift:(\d+)"#)
        for match in located.matches(in: output, range: NSRange(output.startIndex..., in: output)).reversed() {
            let range = Range(match.range, in: output)!
            let file = String(output[Range(match.range(at: 1), in: output)!]) + ".swift"
            guard let line = Int(output[Range(match.range(at: 2), in: output)!]), let (page, mapped) = markdown(file, line) else { continue }
            output.replaceSubrange(range, with: "\(page):\(mapped)")
        }
        let cleaned = SnippetRunner.clean(OutputLines(bytes: Array(output.utf8), stderrRanges: [])).text
        var ending = run.ending
        // `timeout` says 124 when it stopped the program with SIGTERM, 137 when it had to kill it (a hung
        // Swift program can outlive SIGTERM), and 128 + N when the program died of signal N…
        if case .exited(let code) = ending, code == 124 || code == 137 && stopped { ending = .timedOut }
        // …or it dies of that KILL itself, when it leads its process group.
        if ending == .signaled(SIGKILL), stopped { ending = .timedOut }
        if case .exited(let code) = ending, code > 128, code < 160 { ending = .signaled(code - 128) }
        return Outcome(ending: ending, messages: messages, output: cleaned)
    }

    /// Runs a command with stdout and stderr in one pipe, in the order written; stdin is empty.
    static func execute(_ command: [String], in directory: URL, timeout: Double) throws -> (ending: Ending, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command
        process.currentDirectoryURL = directory
        process.environment = SnippetRunner.environment.merging([
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "HOME": directory.path, "TMPDIR": directory.path,
        ]) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let killer = DispatchWorkItem { process.terminate() }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: killer)
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        killer.cancel()
        let status = process.terminationStatus
        let ending: Ending = process.terminationReason == .uncaughtSignal ? .signaled(status) : .exited(status)
        return (ending, String(decoding: data, as: UTF8.self))
    }
}
